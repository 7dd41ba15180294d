import { messagingApi } from '@line/bot-sdk';
import type { ChannelRuntime } from '../../config/channels.js';

export const LINE_API_BASE_URL = 'https://api.line.me';

export type LineClient = messagingApi.MessagingApiClient;

/** One Messaging API client per LINE channel, made on first use, at the channel's base URL. */
export function createLineClients() {
  const clients = new Map<string, LineClient>();
  return (channel: ChannelRuntime): LineClient => {
    let client = clients.get(channel.channelType);
    if (!client) {
      client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.accessToken ?? '', baseURL: channel.apiBaseUrl ?? LINE_API_BASE_URL });
      clients.set(channel.channelType, client);
    }
    return client;
  };
}

export type LineClients = ReturnType<typeof createLineClients>;

/** A LINE user's display name through the profile API. */
export const lineProfileName =
  (clientFor: LineClients) =>
  async (channel: ChannelRuntime, userId: string): Promise<string | undefined> =>
    (await clientFor(channel).getProfile(userId)).displayName;
