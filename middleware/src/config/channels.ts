import { channelEnvPrefix, maxMessageLengthOf, mediaPolicyOf, type ChannelDefinition, type MediaPolicy } from '@custom-channels/contract';
import { resolveMessengerSettings, type MessengerSettings } from '../messengers/messenger-settings.js';
import { messengerPlatformOf } from '../messengers/registry.js';
import { readMediaFetchRules, type MediaFetchRules } from '../media/fetch-rules.js';
import { resolveSurvey, type SurveySettings } from '../survey/survey-settings.js';

export type AdapterKind = NonNullable<ChannelDefinition['adapter']>;

/** A channel from channels.json joined with its secret and delivery URL from the environment. */
export interface ChannelRuntime extends MessengerSettings {
  channelType: string;
  displayName: string;
  adapter: AdapterKind;
  /** The longest message, in characters, the channel takes either way. */
  maxMessageLength: number;
  /** The attachments the channel takes both ways; undefined: text only. */
  media?: MediaPolicy;
  /** Where the middleware may download the channel's attachments from; public https hosts when absent. */
  mediaFetch?: MediaFetchRules;
  /** Verifies inbound requests and signs deliveries. */
  secret?: string;
  /** Inbound requests may also carry the body-only legacy signature (channels.json `legacyBodySignature`). */
  legacyBodySignature?: boolean;
  /** Where the `webhook` adapter POSTs agent replies and events. */
  deliveryUrl?: string;
  /** The Content templates agents may send from Flex (SIDs or friendly names, `*` for all); none when absent. */
  contentTemplates?: string[];
  /** The post-chat survey (channels.json `survey`), if the channel has one. */
  survey?: SurveySettings;
}

export const MIN_SECRET_LENGTH = 16;

/**
 * Secrets and URLs never live in channels.json (it is committed): channel `chat-app`
 * reads CHANNEL_CHAT_APP_SECRET and CHANNEL_CHAT_APP_DELIVERY_URL.
 */
export function resolveChannels(definitions: ChannelDefinition[], env: Record<string, string | undefined>): { channels: ChannelRuntime[]; problems: string[] } {
  const problems: string[] = [];
  const channels = definitions.map((definition): ChannelRuntime => {
    const adapter = definition.adapter ?? 'webhook';
    const prefix = channelEnvPrefix(definition.channelType);
    const secret = env[`${prefix}_SECRET`] || undefined;
    const deliveryUrl = env[`${prefix}_DELIVERY_URL`] || undefined;
    const label = `channel "${definition.channelType}" (adapter ${adapter})`;
    const mediaFetch = readMediaFetchRules(prefix, env, problems);

    if (adapter === 'webhook' && !secret) {
      problems.push(`${prefix}_SECRET is missing: ${label} needs it to verify inbound requests and sign deliveries`);
    }
    if (secret && secret.length < MIN_SECRET_LENGTH) {
      problems.push(`${prefix}_SECRET is too short: use at least ${MIN_SECRET_LENGTH} random characters`);
    }
    if (adapter === 'webhook' && !deliveryUrl) {
      problems.push(`${prefix}_DELIVERY_URL is missing: ${label} POSTs agent replies there`);
    }
    if (deliveryUrl && !isHttpUrl(deliveryUrl)) {
      problems.push(`${prefix}_DELIVERY_URL must be an http(s) URL`);
    }
    const platform = messengerPlatformOf(adapter);
    const messenger = platform ? resolveMessengerSettings(definition, platform, env, prefix) : { settings: {}, problems: [] };
    problems.push(...messenger.problems);
    const survey = resolveSurvey(definition, label, problems);
    return {
      ...messenger.settings,
      channelType: definition.channelType,
      displayName: definition.displayName,
      adapter,
      maxMessageLength: maxMessageLengthOf(definition),
      media: mediaPolicyOf(definition),
      mediaFetch,
      secret,
      ...(definition.legacyBodySignature ? { legacyBodySignature: true } : {}),
      ...(definition.contentTemplates ? { contentTemplates: definition.contentTemplates } : {}),
      deliveryUrl,
      ...(survey ? { survey } : {}),
    };
  });
  return { channels, problems };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
