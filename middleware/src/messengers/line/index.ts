import type { Messengers } from '../messenger-webhook.js';
import { createLineAdapter } from './line-adapter.js';
import { createLineClients } from './line-clients.js';
import { createLineWebhook } from './line-webhook.js';
import { createProfileNames } from './profile-names.js';

/** LINE's adapter and webhook, sharing one Messaging API client per channel. */
export function createLineParts(): Pick<Messengers, 'adapters' | 'webhooks'> {
  const clientFor = createLineClients();
  return { adapters: [createLineAdapter(clientFor)], webhooks: [createLineWebhook(createProfileNames(clientFor))] };
}
