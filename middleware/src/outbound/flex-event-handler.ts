import type { DeliveryPayload } from '../delivery/channel-events.js';
import type { Logger } from '../observability/logger.js';
import type { QueueEntry } from '../outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';
import type { SessionEnder } from '../sessions/session-ender.js';
import type { Session, Store } from '../store/store.js';
import { createParticipantEventHandler } from './participant-event-handler.js';
import type { FlexEvent } from './twilio-events.js';

export type FlexEventOutcome = 'queued' | 'duplicate' | 'ended' | 'ignored';

export interface FlexEventHandlerDeps {
  store: Store;
  endSession: SessionEnder;
  /** Begins the channel's post-chat survey once Flex ended the session. */
  startSurvey?: (session: Session) => Promise<void>;
  logger: Logger;
  queueEntry: QueueEntry;
  /** Whether an author is one of this middleware's customer identities (`createCustomerIdentityMatcher`). */
  isCustomerIdentity?: (author: string) => boolean;
}

/**
 * Turns a verified Twilio event into work: an agent's or bot's message becomes a queued
 * delivery (at most once per idempotency token and per message), a closed conversation
 * ends the session, an agent joining or reading tells the channel. Quick by design: Twilio is answered as soon as this returns.
 */
export function createFlexEventHandler(deps: FlexEventHandlerDeps) {
  const handleParticipantEvent = createParticipantEventHandler(deps);
  return async (event: FlexEvent, idempotencyToken: string | undefined): Promise<FlexEventOutcome> => {
    if (event.kind === 'other') return 'ignored';
    // Every message this middleware posts comes back: the customer's own, and its notices to the
    // agent, are dropped below anyway, so they need no read of the session.
    if (event.kind === 'message' && event.source === 'API' && (event.systemNotice || deps.isCustomerIdentity?.(event.author))) return 'ignored';
    const session = await deps.store.findSessionByConversationSid(event.conversationSid);
    if (!session) {
      deps.logger.debug({ conversationSid: event.conversationSid }, 'webhook for a conversation this middleware does not know');
      return 'ignored';
    }
    if (event.kind === 'ended') {
      await deps.endSession(session);
      await deps.startSurvey?.(session);
      return 'ended';
    }
    if (event.kind === 'participant_joined' || event.kind === 'participant_read') return handleParticipantEvent(session, event);
    if (!isForCustomer(event, session)) return 'ignored';

    const payload: DeliveryPayload = {
      version: OUTBOX_PAYLOAD_VERSION,
      channelType: session.channelType,
      event: {
        type: 'message',
        id: event.messageSid,
        conversationSid: event.conversationSid,
        to: { id: session.customerId },
        author: event.author,
        text: event.text,
        ...(event.content ? { content: event.content } : {}),
      },
      ...(event.media ? { attachments: event.media } : {}),
    };
    const dedupeKeys = [`twilio-message:${event.messageSid}`, ...(idempotencyToken ? [`twilio-token:${idempotencyToken}`] : [])];
    const queued = await deps.queueEntry({ queue: 'to-channel', orderingKey: session.id, payload }, dedupeKeys);
    return queued ? 'queued' : 'duplicate';
  };
}

/**
 * Scoped webhooks fire for every message, the customer's own included (posted by this
 * middleware through the API). Forward what agents type (Source=SDK) and what bots or
 * other API callers post; never the customer's own words back to them, nor the middleware's
 * notices to the agent. A Studio bot's messages have the author `system` too, so the notices
 * are told apart by their attributes.
 */
function isForCustomer(event: Extract<FlexEvent, { kind: 'message' }>, session: Session): boolean {
  if (event.author === session.identity || event.systemNotice) return false;
  return event.source === undefined || event.source === 'SDK' || event.source === 'API';
}

export type FlexEventHandler = ReturnType<typeof createFlexEventHandler>;
