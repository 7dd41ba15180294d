import { channelEnvPrefix } from '@custom-channels/contract';
import { RegistrationRefused, type RegisterWebhook } from '../webhook-registration.js';
import { graphApiFor } from './graph-api.js';
import { instagramVerifyToken } from './instagram-signature.js';

/**
 * Meta takes an app's callback URL in its developer console only, so setup checks that the
 * Page access token reads the account, and says which callback URL and verify token to enter.
 */
export const registerInstagramWebhook: RegisterWebhook = async (channel) => {
  const answer = await graphApiFor(channel, 30_000)<{ id?: string; name?: string }>('GET', '/me?fields=id,name');
  const prefix = channelEnvPrefix(channel.channelType);
  if (!answer.ok) {
    if (answer.status === 0) throw new RegistrationRefused(`Could not reach Instagram while reading the account of channel "${channel.channelType}"`);
    if (answer.code === 190 || answer.status === 401) {
      throw new RegistrationRefused(`Instagram refused the Page access token of channel "${channel.channelType}": check ${prefix}_ACCESS_TOKEN`);
    }
    throw new RegistrationRefused(`Instagram answered ${answer.code} while reading the account of channel "${channel.channelType}": ${answer.message}`);
  }
  const verifyToken = instagramVerifyToken(channel.secret ?? '', channel.channelType);
  return { action: 'checked', detail: `the access token reads the account; enter this URL in Meta's console with the verify token ${verifyToken}` };
};
