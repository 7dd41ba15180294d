import { requireSid } from '../flex/flex-gateway.js';
import type { Session } from '../store/store.js';

/** Read horizons in Twilio, for either mode: the agent's, read; the customer's, written. */
export interface ReadHorizons {
  /** The channel's id (`externalId`) of the customer's latest message at or before `index`, if any. */
  customerMessageUpTo(conversationSid: string, customerIdentity: string, index: number): Promise<string | undefined>;
  /**
   * Moves the customer's horizon to the agent message Twilio knows by `messageSid` (what the
   * channel received as the event's `id`). Never backwards: a horizon already there or past it
   * is left alone, without a write.
   */
  markReadByCustomer(session: Session, messageSid: string): Promise<'written' | 'unchanged' | 'unknown_message'>;
}

/** How far back the customer's latest read message is looked for. */
export const RECENT_MESSAGES_SEARCHED = 50;

/** The `externalId` the middleware put in a customer's message attributes. */
export function externalIdOf(attributes: string | null | undefined): string | undefined {
  try {
    const id = (JSON.parse(attributes ?? '{}') as { externalId?: unknown }).externalId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A session's Twilio resource as read horizons see it, in either mode. */
export interface HorizonAccess {
  /** The latest messages, newest first. */
  recentMessages(sid: string, limit: number): Promise<Array<{ index: number; author: string; attributes: string | null }>>;
  /** The index of the message with this SID; undefined when Twilio does not have it. */
  messageIndex(sid: string, messageSid: string): Promise<number | undefined>;
  readIndex(sid: string, identity: string): Promise<number | null>;
  writeReadIndex(sid: string, identity: string, index: number): Promise<void>;
}

/** Read horizons over one mode's resource: the same search and the same never-backwards rule for both. */
export function createReadHorizons(access: HorizonAccess): ReadHorizons {
  return {
    async customerMessageUpTo(sid, customerIdentity, index) {
      const recent = await access.recentMessages(sid, RECENT_MESSAGES_SEARCHED);
      const read = recent.find((message) => message.index <= index && message.author === customerIdentity);
      return read ? externalIdOf(read.attributes) : undefined;
    },
    async markReadByCustomer(session, messageSid) {
      const sid = requireSid(session.resources.conversationSid);
      const index = await access.messageIndex(sid, messageSid);
      if (index === undefined) return 'unknown_message';
      const current = await access.readIndex(sid, session.identity);
      if (current !== null && current >= index) return 'unchanged';
      await access.writeReadIndex(sid, session.identity, index);
      return 'written';
    },
  };
}
