import type { DeliveryPayload } from '../delivery/channel-events.js';
import { SYSTEM_AUTHOR } from '../flex/flex-gateway.js';
import type { QueueEntry } from '../outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';
import type { Session, Store } from '../store/store.js';
import type { ParticipantEvent } from './participant-events.js';

export interface ParticipantEventHandlerDeps {
  queueEntry: QueueEntry;
  store: Pick<Store, 'recordSessionResources'>;
}

/**
 * An agent joining (the first, or the next after a transfer) and an agent's read horizon
 * moving become deliveries to the channel, behind the session's messages; the first agent's
 * joining is also recorded on the session. The customer's own participant (whose horizon this
 * middleware writes) and the middleware's notices are not agents.
 */
export function createParticipantEventHandler(deps: ParticipantEventHandlerDeps) {
  return async (session: Session, event: ParticipantEvent): Promise<'queued' | 'duplicate' | 'ignored'> => {
    if (event.identity === session.identity || event.identity === SYSTEM_AUTHOR) return 'ignored';
    if (event.kind === 'participant_joined' && session.resources.agentJoinedAt === undefined) {
      await deps.store.recordSessionResources(session.id, { agentJoinedAt: Date.now() });
    }
    const { event: delivery, dedupeKey } = event.kind === 'participant_joined' ? agentChanged(session, event) : agentRead(session, event);
    const payload: DeliveryPayload = { version: OUTBOX_PAYLOAD_VERSION, channelType: session.channelType, event: delivery };
    const queued = await deps.queueEntry({ queue: 'to-channel', orderingKey: session.id, payload }, [dedupeKey]);
    return queued ? 'queued' : 'duplicate';
  };
}

type Queued = { event: DeliveryPayload['event']; dedupeKey: string };

function agentChanged(session: Session, event: Extract<ParticipantEvent, { kind: 'participant_joined' }>): Queued {
  const { conversationSid, participantSid, identity, displayName } = event;
  return {
    event: {
      type: 'agent_changed',
      id: `${participantSid}:joined`,
      conversationSid,
      to: { id: session.customerId },
      agent: identity,
      ...(displayName ? { displayName } : {}),
    },
    dedupeKey: `twilio-participant:${participantSid}`,
  };
}

function agentRead(session: Session, event: Extract<ParticipantEvent, { kind: 'participant_read' }>): Queued {
  const { conversationSid, lastReadIndex } = event;
  return {
    event: {
      type: 'agent_read',
      id: `${conversationSid}:read:${lastReadIndex}`,
      conversationSid,
      to: { id: session.customerId },
      customerIdentity: session.identity,
      upToIndex: lastReadIndex,
    },
    dedupeKey: `twilio-read:${conversationSid}:${lastReadIndex}`,
  };
}

export type ParticipantEventHandler = ReturnType<typeof createParticipantEventHandler>;
