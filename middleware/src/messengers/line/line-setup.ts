import { channelEnvPrefix } from '@custom-channels/contract';
import { HTTPFetchError } from '@line/bot-sdk';
import { RegistrationRefused, type RegisterWebhook } from '../webhook-registration.js';
import { createLineClients } from './line-clients.js';

/** The channel's webhook URL through LINE's set-webhook-endpoint API, when it is not that URL already. */
export const registerLineWebhook: RegisterWebhook = async (channel, webhookUrl, dryRun) => {
  const client = createLineClients()(channel);
  let current: string | undefined;
  try {
    current = (await client.getWebhookEndpoint()).endpoint;
  } catch (error) {
    // A channel that never had a webhook answers 404.
    if (!(error instanceof HTTPFetchError && error.status === 404)) throw refusal(error, channel.channelType, 'reading the webhook endpoint');
  }
  if (current === webhookUrl) return { action: 'unchanged' };
  const detail = current ? 'the endpoint drifted' : undefined;
  if (dryRun) return { action: 'would set', detail };
  try {
    await client.setWebhookEndpoint({ endpoint: webhookUrl });
  } catch (error) {
    throw refusal(error, channel.channelType, 'setting the webhook endpoint');
  }
  return { action: 'set', detail };
};

function refusal(error: unknown, channelType: string, doing: string): RegistrationRefused {
  const prefix = channelEnvPrefix(channelType);
  if (error instanceof HTTPFetchError && error.status === 401) {
    return new RegistrationRefused(`LINE refused the channel access token of channel "${channelType}" while ${doing}: check ${prefix}_ACCESS_TOKEN`);
  }
  if (error instanceof HTTPFetchError) return new RegistrationRefused(`LINE answered ${error.status} while ${doing} for channel "${channelType}"`);
  return new RegistrationRefused(`Could not reach LINE while ${doing} for channel "${channelType}"`);
}
