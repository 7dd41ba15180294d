import type { ChannelRuntime } from '../../config/channels.js';
import type { PlatformFileSource } from '../../media/platform-files.js';

/** The Messaging API's data host, which serves the content of users' messages. */
export const LINE_DATA_API_BASE_URL = 'https://api-data.line.me';

/**
 * The content endpoint of a user's message, with the channel access token. Fetched by the
 * media pipeline's guarded download rather than the SDK's blob client, so that LINE's files
 * go through the same size, type and host checks and the same spool as every attachment.
 */
export async function locateLineFile(channel: ChannelRuntime, messageId: string): Promise<PlatformFileSource> {
  const baseUrl = channel.apiBaseUrl ?? LINE_DATA_API_BASE_URL;
  return {
    url: `${baseUrl}/v2/bot/message/${encodeURIComponent(messageId)}/content`,
    headers: { authorization: `Bearer ${channel.accessToken ?? ''}` },
  };
}
