import type { DeliveryPayload } from '../delivery/channel-events.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { WakeWorker } from '../outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';
import type { Session, Store } from '../store/store.js';

export interface SessionEnderDeps {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  wake: WakeWorker;
  now?: () => number;
}

export type SessionEnder = (session: Session) => Promise<void>;

/**
 * Closes the customer's mapping (their next message opens a new session) and queues the
 * `ended` event behind the session's other deliveries. Ending twice is a no-op.
 */
export function createSessionEnder(deps: SessionEnderDeps): SessionEnder {
  const now = deps.now ?? Date.now;
  return async (session) => {
    const conversationSid = session.resources.conversationSid ?? '';
    const payload: DeliveryPayload = {
      version: OUTBOX_PAYLOAD_VERSION,
      channelType: session.channelType,
      event: { type: 'ended', id: `${conversationSid}:ended`, conversationSid, to: { id: session.customerId } },
    };
    const closed = await deps.store.closeSession(session.id, now(), {
      queue: 'to-channel',
      orderingKey: session.id,
      payload,
    });
    if (!closed) return;
    deps.metrics.sessionsEnded.inc({ channel: session.channelType });
    deps.logger.info({ sessionId: session.id, channel: session.channelType, conversationSid }, 'session ended by Flex');
    deps.wake('to-channel');
  };
}
