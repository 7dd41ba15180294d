import type { ChannelEvent } from '../delivery/channel-events.js';
import { isMessengerAdapter, MESSENGER_TEXT_LIMITS, type ChannelDefinition, type MessengerAdapter } from '@custom-channels/contract';

/** What a Telegram or LINE channel reads from the environment besides its secret. */
export interface MessengerSettings {
  /** Telegram: the bot token. LINE: the channel access token. */
  accessToken?: string;
  /** The platform API's address; the stand-ins' in tests and the demo. */
  apiBaseUrl?: string;
  /** What the customer reads when the agent ends the chat. */
  endedText?: string;
}

export const DEFAULT_ENDED_TEXT = 'This chat has ended. Send a message to start a new one.';
/** The schema leaves this check to the middleware: it alone sends the text, and the plugin's validator stays small. */
const MAX_ENDED_TEXT_LENGTH = 1000;

const TOKEN_VARIABLE: Record<MessengerAdapter, { suffix: string; what: string }> = {
  telegram: { suffix: 'BOT_TOKEN', what: 'the token BotFather gave the bot' },
  line: { suffix: 'ACCESS_TOKEN', what: 'the channel access token (long-lived) from the LINE Developers Console' },
};

const SECRET_MEANING: Record<MessengerAdapter, string> = {
  telegram: 'the secret token Telegram sends with every update (16-256 of A-Z a-z 0-9 _ -)',
  line: 'the channel secret from the LINE Developers Console',
};

// Telegram accepts only these characters in setWebhook's secret_token.
const TELEGRAM_SECRET = /^[A-Za-z0-9_-]{1,256}$/;

/** A messenger channel's settings from `<prefix>_BOT_TOKEN` or `<prefix>_ACCESS_TOKEN` and `<prefix>_API_BASE_URL`, with what is wrong with them. */
export function resolveMessengerSettings(
  definition: ChannelDefinition,
  env: Record<string, string | undefined>,
  prefix: string,
): { settings: MessengerSettings; problems: string[] } {
  const adapter = definition.adapter;
  if (!isMessengerAdapter(adapter)) return { settings: {}, problems: [] };
  const problems: string[] = [];
  const token = TOKEN_VARIABLE[adapter];
  const accessToken = env[`${prefix}_${token.suffix}`] || undefined;
  const apiBaseUrl = env[`${prefix}_API_BASE_URL`] || undefined;
  const secret = env[`${prefix}_SECRET`] || undefined;
  const label = `channel "${definition.channelType}" (adapter ${adapter})`;

  if (!accessToken) problems.push(`${prefix}_${token.suffix} is missing: ${label} sends with ${token.what}`);
  if (!secret) problems.push(`${prefix}_SECRET is missing: ${label} verifies webhooks with ${SECRET_MEANING[adapter]}`);
  if (adapter === 'telegram' && secret && !TELEGRAM_SECRET.test(secret)) {
    problems.push(`${prefix}_SECRET may hold only A-Z, a-z, 0-9, _ and - (Telegram's rule for the webhook secret token)`);
  }
  if (apiBaseUrl && !/^https?:\/\/[^/]+/.test(apiBaseUrl)) problems.push(`${prefix}_API_BASE_URL must be an http(s) URL`);
  const endedText = definition.endedText ?? DEFAULT_ENDED_TEXT;
  if (!endedText.trim() || endedText.length > MAX_ENDED_TEXT_LENGTH) {
    problems.push(`${label}: endedText must hold 1 to ${MAX_ENDED_TEXT_LENGTH} characters, not only spaces`);
  }
  const limit = MESSENGER_TEXT_LIMITS[adapter];
  if (definition.maxMessageLength !== undefined && definition.maxMessageLength > limit) {
    problems.push(`${label}: maxMessageLength ${definition.maxMessageLength} is more than the ${limit} characters the platform takes in one message`);
  }
  return { settings: { accessToken, apiBaseUrl: apiBaseUrl?.replace(/\/+$/, ''), endedText }, problems };
}

/**
 * The text a messenger user reads for an event, or nothing: an agent's message, the end of the
 * chat. A bot cannot show a change of agent or a read receipt in these apps, so those are
 * acknowledged without a send.
 */
export function messengerTextOf(channel: { endedText?: string }, event: ChannelEvent): string | undefined {
  if (event.type === 'message') return event.text;
  if (event.type === 'ended') return channel.endedText ?? DEFAULT_ENDED_TEXT;
  return undefined;
}
