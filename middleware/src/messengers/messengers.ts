import { isMessengerAdapter } from '@custom-channels/contract';
import type { ChannelRuntime } from '../config/channels.js';
import { FailureError, permanent } from '../outbox/failure.js';
import type { PlatformFileLocator } from '../media/platform-files.js';
import { locateLineFile } from './line/line-file-source.js';
import type { Messengers } from './messenger-webhook.js';
import { createTelegramAdapter } from './telegram/telegram-adapter.js';
import { locateTelegramFile } from './telegram/telegram-file-source.js';
import { telegramWebhook } from './telegram/telegram-webhook.js';

/** The adapters and webhooks the configured channels need. Only what the channels use is loaded: LINE's SDK weighs about 30 MB in memory. */
export async function openMessengersFor(channels: ChannelRuntime[]): Promise<Messengers | undefined> {
  const kinds = new Set(channels.map((channel) => channel.adapter).filter(isMessengerAdapter));
  if (kinds.size === 0) return undefined;
  const messengers: Messengers = { adapters: [], webhooks: [], locateFile };
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

const locateFile: PlatformFileLocator = async (channel, platformFileId) => {
  if (channel.adapter === 'telegram') return locateTelegramFile(channel, platformFileId);
  if (channel.adapter === 'line') return locateLineFile(channel, platformFileId);
  throw new FailureError(permanent(`channel ${channel.channelType} is not on a messenger platform`));
};
