import type { RoutingConfig } from '../config/config.js';
import { mergeTaskAttributes } from '../flex/task-insights.js';
import type { Logger } from '../observability/logger.js';
import type { Session } from '../store/store.js';
import type { TwilioClient } from '../twilio/client.js';
import type { WebchatSettings } from './webchat-settings.js';
import type { Webchat } from './webchat.js';
import { CUSTOMER_PRESENCE_ATTRIBUTE, VisitorPresence, type VisitorPresenceState } from './visitor-presence.js';

export interface PresenceWriterDeps {
  findActiveSession: (channelType: string, customerId: string) => Promise<Session | undefined>;
  /** Sets top-level attributes of the conversation's task (mergeTaskAttributes). */
  mergeTaskAttributes: (conversationSid: string, values: Record<string, string>) => Promise<'written' | 'no_task'>;
}

/**
 * Writes a visitor's presence on the task of their open chat, where the plugin shows it;
 * false for a visitor without an open chat, or whose chat has no task yet.
 */
export function createPresenceWriter(deps: PresenceWriterDeps) {
  return async (channelType: string, visitorId: string, presence: VisitorPresenceState): Promise<boolean> => {
    const session = await deps.findActiveSession(channelType, visitorId);
    const conversationSid = session?.resources.conversationSid;
    if (!conversationSid) return false;
    return (await deps.mergeTaskAttributes(conversationSid, { [CUSTOMER_PRESENCE_ATTRIBUTE]: presence })) === 'written';
  };
}

export interface WebchatPresenceDeps {
  webchat?: Webchat;
  settings: WebchatSettings;
  routing: RoutingConfig;
  store: { findActiveSession: PresenceWriterDeps['findActiveSession'] };
  twilioClient: TwilioClient;
  logger: Logger;
}

/**
 * The visitors' presence tracker, when this instance can tell it: not with transcripts that
 * fan out (Redis), where a visitor's sockets may be open on other instances; not when
 * WEBCHAT_PRESENCE_WRITES_PER_HOUR is 0.
 */
export function webchatPresenceFor(deps: WebchatPresenceDeps): VisitorPresence | undefined {
  const { webchat, settings } = deps;
  if (!webchat || webchat.log.subscribe || settings.presenceWritesPerHour === 0) return undefined;
  return new VisitorPresence({
    limits: { debounceMs: settings.presenceDebounceMs, writesPerHour: settings.presenceWritesPerHour },
    write: createPresenceWriter({
      findActiveSession: (channelType, customerId) => deps.store.findActiveSession(channelType, customerId),
      mergeTaskAttributes: (conversationSid, values) => mergeTaskAttributes(deps.twilioClient, deps.routing, conversationSid, values),
    }),
    onWriteFailed: (error) => deps.logger.warn({ err: error }, "web chat visitor's presence not written on their task"),
  });
}
