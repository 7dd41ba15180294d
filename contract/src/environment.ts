/**
 * The prefix of a channel's environment variables: `CHANNEL_` + its channelType in upper
 * case with dashes as underscores. `chat-app` reads CHANNEL_CHAT_APP_SECRET and
 * CHANNEL_CHAT_APP_DELIVERY_URL.
 */
export function channelEnvPrefix(channelType: string): string {
  return `CHANNEL_${channelType.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
