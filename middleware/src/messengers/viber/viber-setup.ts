import { channelEnvPrefix } from '@custom-channels/contract';
import { RegistrationRefused, type RegisterWebhook } from '../webhook-registration.js';
import { createViberApi, type ViberAnswer } from './viber-api.js';
import { VIBER_EVENT_TYPES } from './viber-events.js';

const INVALID_URL = 1;
const INVALID_AUTH_TOKEN = 2;

/**
 * set_webhook with the callbacks the channel reads, when get_account_info shows another URL.
 * Viber checks the URL at once with a signed `webhook` callback, so the middleware must be
 * running at PUBLIC_BASE_URL. Viber does not show the event types it holds: a run with the
 * same URL changes nothing.
 */
export const registerViberWebhook: RegisterWebhook = async (channel, webhookUrl, dryRun) => {
  const call = createViberApi({ token: channel.accessToken ?? '', baseUrl: channel.apiBaseUrl, timeoutMs: 30_000 });
  const account = expectOk(await call('get_account_info', {}), channel.channelType, 'reading the account');
  const current = typeof account.webhook === 'string' ? account.webhook : '';
  if (current === webhookUrl) return { action: 'unchanged' };
  const detail = current ? 'the URL drifted' : undefined;
  if (dryRun) return { action: 'would set', detail };
  expectOk(
    await call('set_webhook', { url: webhookUrl, event_types: VIBER_EVENT_TYPES, send_name: true, send_photo: false }),
    channel.channelType,
    'setting the webhook',
  );
  return { action: 'set', detail };
};

function expectOk(answer: ViberAnswer, channelType: string, doing: string): Record<string, unknown> {
  if (answer.ok) return answer.body;
  if (answer.status === INVALID_AUTH_TOKEN || answer.httpStatus === 401) {
    throw new RegistrationRefused(`Viber refused the auth token of channel "${channelType}" while ${doing}: check ${channelEnvPrefix(channelType)}_AUTH_TOKEN`);
  }
  const hint = answer.status === INVALID_URL ? ' (Viber checks the URL at once: the middleware must answer at the URL, over https)' : '';
  throw new RegistrationRefused(`Viber answered ${answer.status} while ${doing} for channel "${channelType}": ${answer.statusMessage}${hint}`);
}
