import type { MessengerParts } from '../messenger-platform.js';
import { createProfileNames } from '../profile-names.js';
import { createInstagramAdapter } from './instagram-adapter.js';
import { instagramProfileName } from './instagram-profile.js';
import { createInstagramWebhook } from './instagram-webhook.js';

/** Instagram's adapter and webhook. */
export function createInstagramParts(): MessengerParts {
  return { adapter: createInstagramAdapter(), webhook: createInstagramWebhook(createProfileNames(instagramProfileName)) };
}
