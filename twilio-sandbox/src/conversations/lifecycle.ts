import { iso, type Ctx } from '../context.js';
import { conflict, TwilioApiError } from '../errors.js';
import type { EventOrigin } from '../event-origin.js';
import { newSid } from '../sids.js';
import type { Conversation, ConversationState } from '../state.js';
import { conversationEventParams, fireConversationEvent } from './events.js';
import { parseDuration } from './timers.js';

const TIMER_ORIGIN: EventOrigin = { source: 'API', webhookEnabled: true };

export function clearTimers(ctx: Ctx, c: Conversation): void {
  ctx.scheduler.clearTimeout(c.timerHandles.inactive);
  ctx.scheduler.clearTimeout(c.timerHandles.closed);
  c.timerHandles = {};
}

/** (Re)starts the conversation's inactive and closed timers from now, as its state allows. */
export function armTimers(ctx: Ctx, c: Conversation): void {
  clearTimers(ctx, c);
  c.timers.dateInactive = undefined;
  c.timers.dateClosed = undefined;
  if (c.state === 'closed') return;
  const now = Date.now();
  if (c.timers.inactive && c.state === 'active') c.timers.dateInactive = armTimer(ctx, c, 'inactive', now);
  if (c.timers.closed) c.timers.dateClosed = armTimer(ctx, c, 'closed', now);
}

/** Starts the timer that moves the conversation to `state`; answers when it fires. */
function armTimer(ctx: Ctx, c: Conversation, state: 'inactive' | 'closed', now: number): Date {
  const ms = parseDuration(c.timers[state] ?? '') ?? 0;
  c.timerHandles[state] = ctx.scheduler.setTimeout(() => {
    c.timerHandles[state] = undefined;
    setConversationState(ctx, c, state, TIMER_ORIGIN, 'TIMER');
  }, ms);
  return new Date(now + ms);
}

/** Moves a conversation to a new state and fires onConversationStateUpdated (and onConversationUpdated). */
export function setConversationState(ctx: Ctx, c: Conversation, to: ConversationState, origin: EventOrigin, reason: 'API' | 'TIMER' | 'EVENT' = 'API'): void {
  if (c.state === to) return;
  const from = c.state;
  c.state = to;
  c.dateUpdated = new Date();
  armTimers(ctx, c);
  fireConversationEvent(ctx, c, 'onConversationStateUpdated', { StateFrom: from, StateTo: to, StateUpdated: iso(c.dateUpdated)!, Reason: reason }, origin);
  fireConversationEvent(ctx, c, 'onConversationUpdated', conversationEventParams(c), origin);
}

export function assertOpen(c: Conversation): void {
  if (c.state === 'closed') {
    throw new TwilioApiError(400, 50377, "Can't update conversation as it's in final closed state");
  }
}

/** Throws Twilio's 50353 when another conversation of the service has the unique name. */
export function assertUniqueNameFree(ctx: Ctx, serviceSid: string, uniqueName: string, self?: Conversation): void {
  const holder = ctx.store.conversationNamed(serviceSid, uniqueName);
  if (holder && holder !== self) throw conflict(50353, 'Conversation with provided unique name already exists');
}

export function createConversationRecord(
  ctx: Ctx,
  serviceSid: string,
  input: { friendlyName?: string | null; uniqueName?: string | null; attributes?: string; state?: ConversationState },
): Conversation {
  if (input.uniqueName) assertUniqueNameFree(ctx, serviceSid, input.uniqueName);
  const now = new Date();
  const c: Conversation = {
    sid: newSid('CH'),
    serviceSid,
    messagingServiceSid: ctx.store.configuration.defaultMessagingServiceSid,
    friendlyName: input.friendlyName ?? null,
    uniqueName: input.uniqueName ?? null,
    attributes: input.attributes ?? '{}',
    state: input.state ?? 'active',
    timers: {},
    timerHandles: {},
    dateCreated: now,
    dateUpdated: now,
    createdBy: null,
    participants: new Map(),
    messages: [],
    nextIndex: 0,
    webhooks: new Map(),
  };
  ctx.store.addConversation(c);
  return c;
}
