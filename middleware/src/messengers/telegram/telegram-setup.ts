import { channelEnvPrefix } from '@custom-channels/contract';
import { RegistrationRefused, type RegisterWebhook } from '../webhook-registration.js';
import { type BotApiAnswer, createBotApi } from './bot-api.js';
import { TELEGRAM_ALLOWED_UPDATES } from './telegram-update.js';

interface WebhookInfo {
  url: string;
  allowed_updates?: string[];
}

/**
 * setWebhook with the secret token and the updates the channel reads. Telegram never shows
 * the secret token it holds, so it is sent on every run (the same values again change nothing);
 * the report says `unchanged` when the URL and the updates were already right.
 */
export const registerTelegramWebhook: RegisterWebhook = async (channel, webhookUrl, dryRun) => {
  const call = createBotApi({ token: channel.accessToken ?? '', baseUrl: channel.apiBaseUrl, timeoutMs: 30_000 });
  const info = expectOk(await call<WebhookInfo>('getWebhookInfo', {}), channel.channelType, 'reading the webhook');
  const drifted = [...(info.url === webhookUrl ? [] : ['URL']), ...(sameUpdates(info.allowed_updates) ? [] : ['allowed_updates'])];
  if (drifted.length === 0) return { action: 'unchanged' };
  // A first registration has nothing that drifted; the dry run and the real run say the same.
  const detail = info.url ? `${drifted.join(', ')} drifted` : undefined;
  if (dryRun) return { action: 'would set', detail };
  expectOk(
    await call<boolean>('setWebhook', { url: webhookUrl, secret_token: channel.secret, allowed_updates: TELEGRAM_ALLOWED_UPDATES }),
    channel.channelType,
    'setting the webhook',
  );
  return { action: 'set', detail };
};

function sameUpdates(updates: string[] | undefined): boolean {
  // Telegram leaves allowed_updates out of getWebhookInfo when every update type is sent.
  return updates !== undefined && [...updates].sort().join() === [...TELEGRAM_ALLOWED_UPDATES].sort().join();
}

function expectOk<T>(answer: BotApiAnswer<T>, channelType: string, doing: string): T {
  if (answer.ok) return answer.result;
  const prefix = channelEnvPrefix(channelType);
  if (answer.errorCode === 401 || answer.errorCode === 404) {
    throw new RegistrationRefused(`Telegram refused the bot token of channel "${channelType}" while ${doing}: check ${prefix}_BOT_TOKEN (from BotFather)`);
  }
  throw new RegistrationRefused(`Telegram answered ${answer.errorCode || 'nothing'} while ${doing} for channel "${channelType}": ${answer.description}`);
}
