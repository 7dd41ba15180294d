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
