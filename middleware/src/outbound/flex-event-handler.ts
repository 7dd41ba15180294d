import type { DeliveryPayload } from '../delivery/channel-events.js';
import type { Logger } from '../observability/logger.js';
import type { QueueEntry } from '../outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';
import type { SessionEnder } from '../sessions/session-ender.js';
import type { Session, Store } from '../store/store.js';
import { DeliveryRoutes, type DeliveryRoute } from './delivery-routes.js';
import { createParticipantEventHandler } from './participant-event-handler.js';
import type { FlexEvent } from './twilio-events.js';

export type FlexEventOutcome = 'queued' | 'duplicate' | 'ended' | 'ignored';

type MessageEvent = Extract<FlexEvent, { kind: 'message' }>;

export interface FlexEventHandlerDeps {
  store: Store;
  endSession: SessionEnder;
  /** Begins the channel's post-chat survey once Flex ended the session. */
  startSurvey?: (session: Session) => Promise<void>;
  logger: Logger;
  queueEntry: QueueEntry;
  /** Whether an author is one of this middleware's customer identities (`createCustomerIdentityMatcher`). */
  isCustomerIdentity?: (author: string) => boolean;
  /** The sessions of conversations delivered to lately; by default a new set of routes of its own. */
  routes?: DeliveryRoutes;
}

/**
 * Turns a verified Twilio event into work: an agent's or bot's message becomes a queued
 * delivery (at most once per idempotency token and per message), a closed conversation
 * ends the session, an agent joining or reading tells the channel. Quick by design: Twilio is answered as soon as this returns.
 */
export function createFlexEventHandler(deps: FlexEventHandlerDeps) {
  const handleParticipantEvent = createParticipantEventHandler(deps);
  const routes = deps.routes ?? new DeliveryRoutes();
  const queueDelivery = async (route: DeliveryRoute, event: MessageEvent, idempotencyToken: string | undefined) => {
    const dedupeKeys = [`twilio-message:${event.messageSid}`, ...(idempotencyToken ? [`twilio-token:${idempotencyToken}`] : [])];
    const entry = { queue: 'to-channel' as const, orderingKey: route.id, payload: deliveryOf(route, event) };
    return deps.queueEntry(entry, dedupeKeys, { whileSessionStored: true });
  };

  const findSession = async (conversationSid: string) => {
    const session = await deps.store.findSessionByConversationSid(conversationSid);
    if (!session) deps.logger.debug({ conversationSid }, 'webhook for a conversation this middleware does not know');
    return session;
  };

  const handleMessage = async (event: MessageEvent, idempotencyToken: string | undefined): Promise<FlexEventOutcome> => {
    const remembered = routes.find(event.conversationSid);
    if (remembered) {
      if (!isForCustomer(event, remembered)) return 'ignored';
      if (await queueDelivery(remembered, event, idempotencyToken)) return 'queued';
      // A duplicate, or a session erased or pruned since: the store tells which.
      routes.forget(event.conversationSid);
    }
    const session = await findSession(event.conversationSid);
    if (!session) return 'ignored';
    routes.remember(event.conversationSid, session);
    if (!isForCustomer(event, session)) return 'ignored';
    return (await queueDelivery(session, event, idempotencyToken)) ? 'queued' : 'duplicate';
  };

  return async (event: FlexEvent, idempotencyToken: string | undefined): Promise<FlexEventOutcome> => {
    if (event.kind === 'other') return 'ignored';
    if (event.kind === 'message') {
      // Every message this middleware posts comes back: the customer's own, and its notices to the
      // agent, are dropped below anyway, so they need no read of the session.
      if (event.source === 'API' && (event.systemNotice || deps.isCustomerIdentity?.(event.author))) return 'ignored';
      return handleMessage(event, idempotencyToken);
    }
    const session = await findSession(event.conversationSid);
    if (!session) return 'ignored';
    if (event.kind === 'ended') {
      routes.forget(event.conversationSid);
      await deps.endSession(session);
      await deps.startSurvey?.(session);
      return 'ended';
    }
    return handleParticipantEvent(session, event);
  };
}

function deliveryOf(route: DeliveryRoute, event: MessageEvent): DeliveryPayload {
  return {
    version: OUTBOX_PAYLOAD_VERSION,
    channelType: route.channelType,
    event: {
      type: 'message',
      id: event.messageSid,
      conversationSid: event.conversationSid,
      to: { id: route.customerId },
      author: event.author,
      text: event.text,
      ...(event.content ? { content: event.content } : {}),
    },
    ...(event.media ? { attachments: event.media } : {}),
  };
}

/**
 * Scoped webhooks fire for every message, the customer's own included (posted by this
 * middleware through the API). Forward what agents type (Source=SDK) and what bots or
 * other API callers post; never the customer's own words back to them, nor the middleware's
 * notices to the agent. A Studio bot's messages have the author `system` too, so the notices
 * are told apart by their attributes.
 */
function isForCustomer(event: MessageEvent, session: DeliveryRoute): boolean {
  if (event.author === session.identity || event.systemNotice) return false;
  return event.source === undefined || event.source === 'SDK' || event.source === 'API';
}

export type FlexEventHandler = ReturnType<typeof createFlexEventHandler>;
