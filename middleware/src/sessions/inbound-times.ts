import { lastInboundOf } from '../store/customer-search.js';
import type { Session, Store } from '../store/store.js';

/**
 * How far behind the recorded time of a customer's last message may fall before a message records
 * it again: messaging windows run in hours, and a write per message would cost every channel.
 * Behind, never ahead: a window is judged to close a little early, never late.
 */
export const INBOUND_TIME_RESOLUTION_MS = 60_000;

/** Records on the session when the customer wrote (the time the kit accepted the message), for the platforms' messaging windows. */
export type InboundTimeRecorder = (session: Session, acceptedAt: number) => Promise<void>;

export function createInboundTimeRecorder(store: Pick<Store, 'recordSessionResources'>): InboundTimeRecorder {
  return async (session, acceptedAt) => {
    const recorded = lastInboundOf(session);
    if (recorded !== undefined && acceptedAt - recorded < INBOUND_TIME_RESOLUTION_MS) return;
    await store.recordSessionResources(session.id, { lastInboundAt: acceptedAt });
  };
}
