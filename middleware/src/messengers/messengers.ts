import { isMessengerAdapter } from '@custom-channels/contract';
import type { ChannelRuntime } from '../config/channels.js';
import type { Messengers } from './messenger-webhook.js';
import { createTelegramAdapter } from './telegram/telegram-adapter.js';
import { telegramWebhook } from './telegram/telegram-webhook.js';

/** The adapters and webhooks the configured channels need. Only what the channels use is loaded: LINE's SDK weighs about 30 MB in memory. */
export async function openMessengersFor(channels: ChannelRuntime[]): Promise<Messengers | undefined> {
  const kinds = new Set(channels.map((channel) => channel.adapter).filter(isMessengerAdapter));
  if (kinds.size === 0) return undefined;
  const messengers: Messengers = { adapters: [], webhooks: [] };
  if (kinds.has('telegram')) {
    messengers.adapters.push(createTelegramAdapter());
    messengers.webhooks.push(telegramWebhook);
  }
  if (kinds.has('line')) {
    const { createLineParts } = await import('./line/index.js');
    const line = createLineParts();
    messengers.adapters.push(...line.adapters);
    messengers.webhooks.push(...line.webhooks);
  }
  return messengers;
}
