import { type FlexGateway, requireSid } from '../flex/flex-gateway.js';
import type { Session } from '../store/store.js';

/** Read horizons in Twilio: the agent's, read; the customer's, written. */
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

/** Read horizons through the gateway: the customer's latest read message, and a horizon that never moves backwards. */
export function createReadHorizons(
  gateway: Pick<FlexGateway, 'recentMessages' | 'messageIndex' | 'customerReadIndex' | 'writeCustomerReadIndex'>,
): ReadHorizons {
  return {
    async customerMessageUpTo(sid, customerIdentity, index) {
      const recent = await gateway.recentMessages(sid, RECENT_MESSAGES_SEARCHED);
      const read = recent.find((message) => message.index <= index && message.author === customerIdentity);
      return read ? externalIdOf(read.attributes) : undefined;
    },
    async markReadByCustomer(session, messageSid) {
      const index = await gateway.messageIndex(requireSid(session.resources.conversationSid), messageSid);
      if (index === undefined) return 'unknown_message';
      const current = await gateway.customerReadIndex(session);
      if (current !== null && current >= index) return 'unchanged';
      await gateway.writeCustomerReadIndex(session, index);
      return 'written';
    },
  };
}
