import type { ChannelEvent } from '../delivery/channel-events.js';
import type { ChannelDefinition } from '@custom-channels/contract';
import type { MessengerPlatform } from './messenger-platform.js';

/** What a messenger channel reads from the environment besides its secret. */
export interface MessengerSettings {
  /** The credential the platform's API takes (`settings.tokenSuffix` of its description). */
  accessToken?: string;
  /** The platform API's address; the stand-ins' in tests and the demo. */
  apiBaseUrl?: string;
  /** What the customer reads when the agent ends the chat. */
  endedText?: string;
  /** The platform's own optional variables that are set, by suffix (`settings.options` of its description). */
  options?: Record<string, string>;
  /** The bot as customers see it, where the platform lets a bot name itself per message (channels.json `sender`). */
  sender?: { name?: string; avatar?: string };
}

export const DEFAULT_ENDED_TEXT = 'This chat has ended. Send a message to start a new one.';
/** The schema leaves this check to the middleware: it alone sends the text, and the plugin's validator stays small. */
const MAX_ENDED_TEXT_LENGTH = 1000;

/** A messenger channel's settings from `<prefix>_<token suffix>` and `<prefix>_API_BASE_URL`, with what is wrong with them. */
export function resolveMessengerSettings(
  definition: ChannelDefinition,
  platform: MessengerPlatform,
  env: Record<string, string | undefined>,
  prefix: string,
): { settings: MessengerSettings; problems: string[] } {
  const problems: string[] = [];
  const { tokenSuffix, tokenMeaning, secretMeaning, secretProblem } = platform.settings;
  const accessToken = env[`${prefix}_${tokenSuffix}`] || undefined;
  const apiBaseUrl = env[`${prefix}_API_BASE_URL`] || undefined;
  const secret = env[`${prefix}_SECRET`] || undefined;
  const label = `channel "${definition.channelType}" (adapter ${platform.adapter})`;

  if (!accessToken) problems.push(`${prefix}_${tokenSuffix} is missing: ${label} sends with ${tokenMeaning}`);
  if (secretMeaning && !secret) problems.push(`${prefix}_SECRET is missing: ${label} verifies webhooks with ${secretMeaning}`);
  const secretRefused = secret && secretProblem?.(secret, prefix);
  if (secretRefused) problems.push(secretRefused);
  if (apiBaseUrl && !/^https?:\/\/[^/]+/.test(apiBaseUrl)) problems.push(`${prefix}_API_BASE_URL must be an http(s) URL`);
  const endedText = definition.endedText ?? DEFAULT_ENDED_TEXT;
  if (!endedText.trim() || endedText.length > MAX_ENDED_TEXT_LENGTH) {
    problems.push(`${label}: endedText must hold 1 to ${MAX_ENDED_TEXT_LENGTH} characters, not only spaces`);
  }
  const options: Record<string, string> = {};
  for (const [suffix, problemOf] of Object.entries(platform.settings.options ?? {})) {
    const value = env[`${prefix}_${suffix}`] || undefined;
    if (value === undefined) continue;
    const problem = problemOf(value, prefix);
    if (problem) problems.push(problem);
    else options[suffix] = value;
  }
  const limit = platform.schema.textLimit;
  if (definition.maxMessageLength !== undefined && definition.maxMessageLength > limit) {
    problems.push(`${label}: maxMessageLength ${definition.maxMessageLength} is more than the ${limit} characters the platform takes in one message`);
  }
  const sender = definition.sender;
  const settings = { accessToken, apiBaseUrl: apiBaseUrl?.replace(/\/+$/, ''), endedText, ...(sender ? { sender } : {}) };
  return { settings: { ...settings, ...(Object.keys(options).length ? { options } : {}) }, problems };
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
