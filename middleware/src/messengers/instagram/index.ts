import type { MessengerParts } from '../messenger-platform.js';
import { createProfileNames } from '../profile-names.js';
import { createInstagramAdapter } from './instagram-adapter.js';
import { instagramProfileName } from './instagram-profile.js';
import { createInstagramWebhook } from './instagram-webhook.js';
import { createSentMessages } from './sent-messages.js';

/** Instagram's adapter and webhook, sharing what was sent, for the customers' reads. */
export function createInstagramParts(): MessengerParts {
  const sent = createSentMessages();
  return { adapter: createInstagramAdapter(sent), webhook: createInstagramWebhook(createProfileNames(instagramProfileName), sent) };
}
