import type { DeliveryPayload } from '../delivery/channel-events.js';
import { SYSTEM_AUTHOR } from '../flex/flex-gateway.js';
import type { WakeWorker } from '../outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';
import type { Session, Store } from '../store/store.js';
import type { ParticipantEvent } from './participant-events.js';

export interface ParticipantEventHandlerDeps {
  store: Store;
  wake: WakeWorker;
}

/**
 * An agent joining (the first, or the next after a transfer) and an agent's read horizon
 * moving become deliveries to the channel, behind the session's messages. The customer's own
 * participant (whose horizon this middleware writes) and the middleware's notices are not agents.
 */
export function createParticipantEventHandler(deps: ParticipantEventHandlerDeps) {
  return async (session: Session, event: ParticipantEvent): Promise<'queued' | 'duplicate' | 'ignored'> => {
    if (event.identity === session.identity || event.identity === SYSTEM_AUTHOR) return 'ignored';
    const to = { id: session.customerId };
    const { conversationSid } = event;
    const [payloadEvent, dedupeKey] =
      event.kind === 'participant_joined'
        ? ([
            {
              type: 'agent_changed',
              id: `${event.participantSid}:joined`,
              conversationSid,
              to,
              agent: event.identity,
              ...(event.displayName ? { displayName: event.displayName } : {}),
            },
            `twilio-participant:${event.participantSid}`,
          ] as const)
        : ([
            {
              type: 'agent_read',
              id: `${conversationSid}:read:${event.lastReadIndex}`,
              conversationSid,
              to,
              customerIdentity: session.identity,
              upToIndex: event.lastReadIndex,
            },
            `twilio-read:${conversationSid}:${event.lastReadIndex}`,
          ] as const);
    const payload: DeliveryPayload = { version: OUTBOX_PAYLOAD_VERSION, channelType: session.channelType, event: payloadEvent };
    const queued = await deps.store.enqueue({ queue: 'to-channel', orderingKey: session.id, payload }, [dedupeKey]);
    if (queued) deps.wake('to-channel');
    return queued ? 'queued' : 'duplicate';
  };
}

export type ParticipantEventHandler = ReturnType<typeof createParticipantEventHandler>;
