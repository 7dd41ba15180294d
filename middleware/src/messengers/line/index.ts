import type { MessengerParts } from '../messenger-platform.js';
import { createLineAdapter } from './line-adapter.js';
import { createLineClients, lineProfileName } from './line-clients.js';
import { createLineWebhook } from './line-webhook.js';
import { createProfileNames } from '../profile-names.js';

/** LINE's adapter and webhook, sharing one Messaging API client per channel. */
export function createLineParts(): MessengerParts {
  const clientFor = createLineClients();
  return { adapter: createLineAdapter(clientFor), webhook: createLineWebhook(createProfileNames(lineProfileName(clientFor))) };
}
