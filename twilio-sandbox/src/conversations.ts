import { readWebhookConfiguration, serializeWebhookConfiguration, updateWebhookConfiguration } from './channel-webhooks.js';
import { iso, productUrl, type Ctx } from './context.js';
import {
  conversationEventParams,
  fireConversationEvent,
  messageEventParams,
  participantEventParams,
  type EventOrigin,
} from './conversation-events.js';
import { conflict, invalidParam, missingParam, TwilioApiError } from './errors.js';
import type { Params } from './form.js';
import { found, restOrigin, type ApiRequest, type RouteTable } from './http.js';
import { listPage, PAGE } from './paging.js';
import { newSid } from './sids.js';
import {
  noWebhooks,
  type Conversation,
  type ConversationState,
  type Message,
  type Participant,
  type ScopedWebhook,
  type WebhookConfig,
} from './state.js';
import { checkAttributes, type ParamDecls } from './validate.js';

const P = 'conversations';
const STATES = 'enum:initializing|inactive|active|closed';
const MAX_SCOPED_WEBHOOKS = 5;

// ---------------------------------------------------------------- serializers

function convPath(ctx: Ctx, c: Conversation): string {
  return c.serviceSid === ctx.store.configuration.defaultChatServiceSid
    ? `/v1/Conversations/${c.sid}`
    : `/v1/Services/${c.serviceSid}/Conversations/${c.sid}`;
}

export function serializeConversation(ctx: Ctx, c: Conversation) {
  const url = productUrl(ctx, P, convPath(ctx, c));
  const timers: Record<string, string> = {};
  if (c.timers.dateInactive && c.state === 'active') timers.date_inactive = iso(c.timers.dateInactive)!;
  if (c.timers.dateClosed && c.state !== 'closed') timers.date_closed = iso(c.timers.dateClosed)!;
  return {
    account_sid: ctx.accountSid,
    chat_service_sid: c.serviceSid,
    messaging_service_sid: c.messagingServiceSid,
    sid: c.sid,
    friendly_name: c.friendlyName,
    unique_name: c.uniqueName,
    attributes: c.attributes,
    state: c.state,
    date_created: iso(c.dateCreated),
    date_updated: iso(c.dateUpdated),
    timers,
    bindings: {},
    url,
    links: {
      participants: `${url}/Participants`,
      messages: `${url}/Messages`,
      webhooks: `${url}/Webhooks`,
      export: `${url}/Export`,
    },
  };
}

export function serializeParticipant(ctx: Ctx, c: Conversation, p: Participant) {
  return {
    account_sid: ctx.accountSid,
    conversation_sid: c.sid,
    sid: p.sid,
    identity: p.identity,
    attributes: p.attributes,
    messaging_binding: p.messagingBinding,
    role_sid: p.roleSid,
    date_created: iso(p.dateCreated),
    date_updated: iso(p.dateUpdated),
    url: productUrl(ctx, P, `${convPath(ctx, c)}/Participants/${p.sid}`),
    last_read_message_index: p.lastReadMessageIndex,
    last_read_timestamp: p.lastReadTimestamp,
  };
}

export function serializeMessage(ctx: Ctx, c: Conversation, m: Message) {
  const url = productUrl(ctx, P, `${convPath(ctx, c)}/Messages/${m.sid}`);
  return {
    account_sid: ctx.accountSid,
    conversation_sid: c.sid,
    sid: m.sid,
    index: m.index,
    author: m.author,
    body: m.body,
    media: null,
    attributes: m.attributes,
    participant_sid: m.participantSid,
    date_created: iso(m.dateCreated),
    date_updated: iso(m.dateUpdated),
    url,
    delivery: null,
    links: { delivery_receipts: `${url}/Receipts`, channel_metadata: `${url}/ChannelMetadata` },
    content_sid: null,
  };
}

function serializeScopedWebhook(ctx: Ctx, c: Conversation, w: ScopedWebhook) {
  const configuration = serializeWebhookConfiguration(w, w.target);
  if (w.replayAfter !== null) configuration.replay_after = w.replayAfter;
  return {
    sid: w.sid,
    account_sid: ctx.accountSid,
    conversation_sid: c.sid,
    target: w.target,
    url: productUrl(ctx, P, `${convPath(ctx, c)}/Webhooks/${w.sid}`),
    configuration,
    date_created: iso(w.dateCreated),
    date_updated: iso(w.dateUpdated),
  };
}

function serializeParticipantConversation(ctx: Ctx, c: Conversation, p: Participant) {
  return {
    account_sid: ctx.accountSid,
    chat_service_sid: c.serviceSid,
    participant_sid: p.sid,
    participant_user_sid: null,
    participant_identity: p.identity,
    participant_messaging_binding: p.messagingBinding,
    conversation_sid: c.sid,
    conversation_unique_name: c.uniqueName,
    conversation_friendly_name: c.friendlyName,
    conversation_attributes: c.attributes,
    conversation_date_created: iso(c.dateCreated),
    conversation_date_updated: iso(c.dateUpdated),
    conversation_created_by: c.createdBy,
    conversation_state: c.state === 'initializing' ? 'active' : c.state,
    conversation_timers: serializeConversation(ctx, c).timers,
    links: {
      participant: productUrl(ctx, P, `${convPath(ctx, c)}/Participants/${p.sid}`),
      conversation: productUrl(ctx, P, convPath(ctx, c)),
    },
  };
}

// ---------------------------------------------------------------- timers

/** ISO 8601 duration (P1D, PT5M, PT30S, P1DT2H) → milliseconds; undefined if malformed. */
export function parseDuration(value: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  return (
    ((Number(w ?? 0) * 7 + Number(d ?? 0)) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1000
  );
}

function armTimers(ctx: Ctx, c: Conversation): void {
  ctx.scheduler.clearTimeout(c.timerHandles.inactive);
  ctx.scheduler.clearTimeout(c.timerHandles.closed);
  c.timerHandles = {};
  c.timers.dateInactive = undefined;
  c.timers.dateClosed = undefined;
  if (c.state === 'closed') return;
  const now = Date.now();
  const timerOrigin: EventOrigin = { source: 'API', webhookEnabled: true };
  if (c.timers.inactive && c.state === 'active') {
    const ms = parseDuration(c.timers.inactive) ?? 0;
    c.timers.dateInactive = new Date(now + ms);
    c.timerHandles.inactive = ctx.scheduler.setTimeout(() => {
      c.timerHandles.inactive = undefined;
      setConversationState(ctx, c, 'inactive', timerOrigin, 'TIMER');
    }, ms);
  }
  if (c.timers.closed) {
    const ms = parseDuration(c.timers.closed) ?? 0;
    c.timers.dateClosed = new Date(now + ms);
    c.timerHandles.closed = ctx.scheduler.setTimeout(() => {
      c.timerHandles.closed = undefined;
      setConversationState(ctx, c, 'closed', timerOrigin, 'TIMER');
    }, ms);
  }
}

function readTimers(body: Params, c: { timers: Conversation['timers'] }): void {
  for (const [param, key] of [
    ['Timers.Inactive', 'inactive'],
    ['Timers.Closed', 'closed'],
  ] as const) {
    const v = body.get(param);
    if (v === undefined) continue;
    if (v === '') {
      delete c.timers[key];
      continue;
    }
    if (parseDuration(v) === undefined) throw invalidParam(param, `'${v}' is not an ISO 8601 duration`);
    c.timers[key] = v;
  }
}

// ---------------------------------------------------------------- domain operations

/** Moves a conversation to a new state and fires onConversationStateUpdated (and onConversationUpdated). */
export function setConversationState(
  ctx: Ctx,
  c: Conversation,
  to: ConversationState,
  origin: EventOrigin,
  reason: 'API' | 'TIMER' | 'EVENT' = 'API',
): void {
  if (c.state === to) return;
  const from = c.state;
  c.state = to;
  c.dateUpdated = new Date();
  armTimers(ctx, c);
  fireConversationEvent(
    ctx,
    c,
    'onConversationStateUpdated',
    { StateFrom: from, StateTo: to, StateUpdated: iso(c.dateUpdated)!, Reason: reason },
    origin,
  );
  fireConversationEvent(ctx, c, 'onConversationUpdated', conversationEventParams(c), origin);
}

function assertOpen(c: Conversation): void {
  if (c.state === 'closed') {
    throw new TwilioApiError(400, 50377, "Can't update conversation as it's in final closed state");
  }
}

export function addParticipant(
  ctx: Ctx,
  c: Conversation,
  input: { identity?: string; attributes?: string; messagingBinding?: Record<string, string> | null; roleSid?: string },
  origin: EventOrigin,
): Participant {
  assertOpen(c);
  if (input.identity !== undefined) {
    for (const p of c.participants.values()) {
      if (p.identity === input.identity) throw conflict(50433, 'Participant already exists');
    }
  }
  const address = input.messagingBinding?.address;
  if (address) {
    for (const p of c.participants.values()) {
      if (p.messagingBinding?.address === address) throw conflict(50416, 'A participant with the provided address already exists');
    }
  }
  const now = new Date();
  const p: Participant = {
    sid: newSid('MB'),
    conversationSid: c.sid,
    identity: input.identity ?? null,
    attributes: input.attributes ?? '{}',
    messagingBinding: input.messagingBinding ?? null,
    roleSid: input.roleSid ?? null,
    dateCreated: now,
    dateUpdated: now,
    lastReadMessageIndex: null,
    lastReadTimestamp: null,
  };
  c.participants.set(p.sid, p);
  fireConversationEvent(ctx, c, 'onParticipantAdded', participantEventParams(p), origin);
  return p;
}

export function removeParticipant(ctx: Ctx, c: Conversation, p: Participant, origin: EventOrigin): void {
  c.participants.delete(p.sid);
  fireConversationEvent(ctx, c, 'onParticipantRemoved', participantEventParams(p), origin);
}

export function addMessage(
  ctx: Ctx,
  c: Conversation,
  input: { author?: string; body?: string; attributes?: string; dateCreated?: Date },
  origin: EventOrigin,
): Message {
  assertOpen(c);
  const author = input.author ?? 'system';
  const participant = [...c.participants.values()].find((p) => p.identity === author);
  const now = new Date();
  const m: Message = {
    sid: newSid('IM'),
    conversationSid: c.sid,
    index: c.nextIndex++,
    author,
    body: input.body ?? null,
    attributes: input.attributes ?? '{}',
    participantSid: participant?.sid ?? null,
    source: origin.source,
    dateCreated: input.dateCreated ?? now,
    dateUpdated: now,
  };
  c.messages.push(m);
  c.dateUpdated = now;
  if (c.state === 'inactive') setConversationState(ctx, c, 'active', origin, 'EVENT');
  else armTimers(ctx, c);
  fireConversationEvent(ctx, c, 'onMessageAdded', messageEventParams(m), origin, m);
  return m;
}

export function createConversationRecord(
  ctx: Ctx,
  serviceSid: string,
  input: { friendlyName?: string | null; uniqueName?: string | null; attributes?: string; state?: ConversationState },
): Conversation {
  if (input.uniqueName) {
    const taken = [...ctx.store.conversations.values()].some((x) => x.serviceSid === serviceSid && x.uniqueName === input.uniqueName);
    if (taken) throw conflict(50353, 'Conversation with provided unique name already exists');
  }
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
  ctx.store.conversations.set(c.sid, c);
  return c;
}

// ---------------------------------------------------------------- routes

const CONVERSATION_BODY: ParamDecls = {
  FriendlyName: 'str',
  UniqueName: 'str',
  DateCreated: 'date',
  DateUpdated: 'date',
  MessagingServiceSid: 'sid:MG',
  Attributes: 'str',
  State: STATES,
  'Timers.Inactive': 'str',
  'Timers.Closed': 'str',
};
const PARTICIPANT_BODY: ParamDecls = {
  Identity: 'str',
  'MessagingBinding.Address': 'str',
  'MessagingBinding.ProxyAddress': 'str',
  'MessagingBinding.ProjectedAddress': 'str',
  DateCreated: 'date',
  DateUpdated: 'date',
  Attributes: 'str',
  RoleSid: 'sid:RL',
  LastReadMessageIndex: 'int',
  LastReadTimestamp: 'str',
};
const MESSAGE_BODY: ParamDecls = {
  Author: 'str',
  Body: 'str',
  DateCreated: 'date',
  DateUpdated: 'date',
  Attributes: 'str',
  MediaSid: 'sid:ME',
  ContentSid: 'sid:HX',
  Subject: 'str',
};
const WEBHOOK_BODY: ParamDecls = {
  'Configuration.Url': 'str',
  'Configuration.Method': 'enum:get|post',
  'Configuration.Filters': 'list',
  'Configuration.Triggers': 'list',
  'Configuration.FlowSid': 'sid:FW',
  'Configuration.ReplayAfter': 'int',
};
const WEBHOOK_CONFIG_BODY: ParamDecls = { Method: 'str', Filters: 'list', PreWebhookUrl: 'str', PostWebhookUrl: 'str' };

export function registerConversationRoutes(route: RouteTable, ctx: Ctx): void {
  const store = ctx.store;
  const namedService = (req: ApiRequest): string => found(req, store.convServices.get(req.params.ChatServiceSid!)).sid;

  // Every conversation route exists for the default service (/v1/Conversations) and for a
  // named service (/v1/Services/{ChatServiceSid}/Conversations).
  const scopes = [
    { prefix: '/v1', sids: {} as Record<string, string>, service: (_r: ApiRequest) => store.configuration.defaultChatServiceSid },
    { prefix: '/v1/Services/:ChatServiceSid', sids: { ChatServiceSid: 'IS' } as Record<string, string>, service: namedService },
  ];

  for (const scope of scopes) {
    const conv = (req: ApiRequest, name: string): Conversation => found(req, store.findConversation(req.params[name]!, scope.service(req)));
    const participant = (req: ApiRequest, c: Conversation): Participant => {
      const key = req.params.Sid!;
      return found(req, c.participants.get(key) ?? [...c.participants.values()].find((x) => x.identity === key));
    };
    const base = `${scope.prefix}/Conversations`;
    const listUrl = (req: ApiRequest) => productUrl(ctx, P, req.twilioPath);

    route(P, {
      method: 'POST',
      path: base,
      sids: scope.sids,
      body: CONVERSATION_BODY,
      handler: (req) => {
        const serviceSid = scope.service(req);
        const b = req.body;
        checkAttributes(b, 'Attributes', 16 * 1024);
        const state = b.get('State')?.toLowerCase() as ConversationState | undefined;
        if (state === 'closed') throw new TwilioApiError(400, 50384, "Initial state can't be 'closed'");
        const timers: Conversation['timers'] = {};
        readTimers(b, { timers });
        const c = createConversationRecord(ctx, serviceSid, {
          friendlyName: b.get('FriendlyName'),
          uniqueName: b.get('UniqueName'),
          attributes: b.get('Attributes'),
          state,
        });
        c.timers = timers;
        if (b.has('MessagingServiceSid')) c.messagingServiceSid = b.get('MessagingServiceSid')!;
        if (b.has('DateCreated')) c.dateCreated = b.date('DateCreated')!;
        if (b.has('DateUpdated')) c.dateUpdated = b.date('DateUpdated')!;
        armTimers(ctx, c);
        fireConversationEvent(ctx, c, 'onConversationAdded', conversationEventParams(c), restOrigin(req));
        return { status: 201, body: serializeConversation(ctx, c) };
      },
    });

    route(P, {
      method: 'GET',
      path: base,
      sids: scope.sids,
      query: { State: STATES, StartDate: 'date', EndDate: 'date', ...PAGE },
      handler: (req) => {
        const serviceSid = scope.service(req);
        const state = req.query.get('State')?.toLowerCase();
        const start = req.query.get('StartDate');
        const end = req.query.get('EndDate');
        const all = [...store.conversations.values()].filter(
          (c) =>
            c.serviceSid === serviceSid &&
            (!state || c.state === state) &&
            (!start || c.dateCreated >= new Date(start)) &&
            (!end || c.dateCreated <= new Date(end)),
        );
        return listPage(req, all, { key: 'conversations', url: listUrl(req), maxPageSize: 100 }, (c) => serializeConversation(ctx, c));
      },
    });

    route(P, {
      method: 'GET',
      path: `${base}/:Sid`,
      sids: scope.sids,
      handler: (req) => ({ status: 200, body: serializeConversation(ctx, conv(req, 'Sid')) }),
    });

    route(P, {
      method: 'POST',
      path: `${base}/:Sid`,
      sids: scope.sids,
      body: CONVERSATION_BODY,
      handler: (req) => {
        const c = conv(req, 'Sid');
        const b = req.body;
        checkAttributes(b, 'Attributes', 16 * 1024);
        const wantState = b.get('State')?.toLowerCase() as ConversationState | undefined;
        if (c.state === 'closed' && !(wantState === 'closed' && b.names().length === 1)) assertOpen(c);
        if (b.has('UniqueName') && b.get('UniqueName') !== c.uniqueName) {
          const u = b.get('UniqueName')!;
          if (u && [...store.conversations.values()].some((x) => x !== c && x.serviceSid === c.serviceSid && x.uniqueName === u)) {
            throw conflict(50353, 'Conversation with provided unique name already exists');
          }
          c.uniqueName = u || null;
        }
        if (b.has('FriendlyName')) c.friendlyName = b.get('FriendlyName')!;
        if (b.has('Attributes')) c.attributes = b.get('Attributes')!;
        if (b.has('MessagingServiceSid')) c.messagingServiceSid = b.get('MessagingServiceSid')!;
        if (b.has('DateCreated')) c.dateCreated = b.date('DateCreated')!;
        const timersChanged = b.has('Timers.Inactive') || b.has('Timers.Closed');
        readTimers(b, c);
        c.dateUpdated = b.date('DateUpdated') ?? new Date();
        const changedOtherThanState = b.names().some((n) => n !== 'State');
        if (wantState && wantState !== c.state) {
          setConversationState(ctx, c, wantState, restOrigin(req));
        } else {
          if (timersChanged) armTimers(ctx, c);
          if (changedOtherThanState) {
            fireConversationEvent(ctx, c, 'onConversationUpdated', conversationEventParams(c), restOrigin(req));
          }
        }
        return { status: 200, body: serializeConversation(ctx, c) };
      },
    });

    route(P, {
      method: 'DELETE',
      path: `${base}/:Sid`,
      sids: scope.sids,
      handler: (req) => {
        const c = conv(req, 'Sid');
        ctx.scheduler.clearTimeout(c.timerHandles.inactive);
        ctx.scheduler.clearTimeout(c.timerHandles.closed);
        fireConversationEvent(ctx, c, 'onConversationRemoved', conversationEventParams(c), restOrigin(req));
        store.conversations.delete(c.sid);
        return { status: 204 };
      },
    });

    // Participants
    route(P, {
      method: 'POST',
      path: `${base}/:ConversationSid/Participants`,
      sids: scope.sids,
      body: PARTICIPANT_BODY,
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        const b = req.body;
        checkAttributes(b);
        const address = b.get('MessagingBinding.Address');
        const identity = b.get('Identity');
        if (!identity && !address && !b.has('MessagingBinding.ProjectedAddress')) {
          throw new TwilioApiError(400, 50400, 'Missing required parameter Identity or MessagingBinding.Address');
        }
        let binding: Record<string, string> | null = null;
        if (address || b.has('MessagingBinding.ProjectedAddress')) {
          binding = {};
          if (address) binding.address = address;
          if (b.has('MessagingBinding.ProxyAddress')) binding.proxy_address = b.get('MessagingBinding.ProxyAddress')!;
          if (b.has('MessagingBinding.ProjectedAddress')) binding.projected_address = b.get('MessagingBinding.ProjectedAddress')!;
          binding.type = address?.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
        }
        const p = addParticipant(
          ctx,
          c,
          { identity, attributes: b.get('Attributes'), messagingBinding: binding, roleSid: b.get('RoleSid') },
          restOrigin(req),
        );
        if (b.has('DateCreated')) p.dateCreated = b.date('DateCreated')!;
        return { status: 201, body: serializeParticipant(ctx, c, p) };
      },
    });

    route(P, {
      method: 'GET',
      path: `${base}/:ConversationSid/Participants`,
      sids: scope.sids,
      query: PAGE,
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        const opts = { key: 'participants', url: listUrl(req), maxPageSize: 100 };
        return listPage(req, [...c.participants.values()], opts, (p) => serializeParticipant(ctx, c, p));
      },
    });

    route(P, {
      method: 'GET',
      path: `${base}/:ConversationSid/Participants/:Sid`,
      sids: scope.sids,
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        return { status: 200, body: serializeParticipant(ctx, c, participant(req, c)) };
      },
    });

    route(P, {
      method: 'POST',
      path: `${base}/:ConversationSid/Participants/:Sid`,
      sids: scope.sids,
      body: PARTICIPANT_BODY,
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        const p = participant(req, c);
        const b = req.body;
        checkAttributes(b);
        assertOpen(c);
        if (b.has('Attributes')) p.attributes = b.get('Attributes')!;
        if (b.has('Identity')) p.identity = b.get('Identity')!;
        if (b.has('RoleSid')) p.roleSid = b.get('RoleSid')!;
        if (b.has('LastReadMessageIndex')) p.lastReadMessageIndex = b.int('LastReadMessageIndex')!;
        if (b.has('LastReadTimestamp')) p.lastReadTimestamp = b.get('LastReadTimestamp')!;
        p.dateUpdated = new Date();
        fireConversationEvent(ctx, c, 'onParticipantUpdated', participantEventParams(p), restOrigin(req));
        return { status: 200, body: serializeParticipant(ctx, c, p) };
      },
    });

    route(P, {
      method: 'DELETE',
      path: `${base}/:ConversationSid/Participants/:Sid`,
      sids: scope.sids,
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        removeParticipant(ctx, c, participant(req, c), restOrigin(req));
        return { status: 204 };
      },
    });

    // Messages
    route(P, {
      method: 'POST',
      path: `${base}/:ConversationSid/Messages`,
      sids: scope.sids,
      body: MESSAGE_BODY,
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        const b = req.body;
        checkAttributes(b, 'Attributes', 4 * 1024);
        if (!b.has('Body') && !b.has('MediaSid') && !b.has('ContentSid')) {
          throw new TwilioApiError(400, 50352, 'Message body or media must be provided');
        }
        const body = b.get('Body');
        if (body !== undefined && Buffer.byteLength(body) > 32 * 1024) {
          throw invalidParam('Body', 'exceeds 32 KB');
        }
        const m = addMessage(
          ctx,
          c,
          {
            author: b.get('Author'),
            body,
            attributes: b.get('Attributes'),
            dateCreated: b.date('DateCreated'),
          },
          restOrigin(req),
        );
        return { status: 201, body: serializeMessage(ctx, c, m) };
      },
    });

    route(P, {
      method: 'GET',
      path: `${base}/:ConversationSid/Messages`,
      sids: scope.sids,
      query: { Order: 'enum:asc|desc', ...PAGE },
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        const list = req.query.get('Order')?.toLowerCase() === 'desc' ? [...c.messages].reverse() : c.messages;
        return listPage(req, list, { key: 'messages', url: listUrl(req), maxPageSize: 100 }, (m) => serializeMessage(ctx, c, m));
      },
    });

    const message = (req: ApiRequest, c: Conversation): Message => found(req, c.messages.find((x) => x.sid === req.params.Sid));

    route(P, {
      method: 'GET',
      path: `${base}/:ConversationSid/Messages/:Sid`,
      sids: { ...scope.sids, Sid: 'IM' },
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        return { status: 200, body: serializeMessage(ctx, c, message(req, c)) };
      },
    });

    route(P, {
      method: 'POST',
      path: `${base}/:ConversationSid/Messages/:Sid`,
      sids: { ...scope.sids, Sid: 'IM' },
      body: MESSAGE_BODY,
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        const m = message(req, c);
        const b = req.body;
        checkAttributes(b, 'Attributes', 4 * 1024);
        assertOpen(c);
        if (b.has('Author')) m.author = b.get('Author')!;
        if (b.has('Body')) m.body = b.get('Body')!;
        if (b.has('Attributes')) m.attributes = b.get('Attributes')!;
        m.dateUpdated = new Date();
        fireConversationEvent(ctx, c, 'onMessageUpdated', messageEventParams(m), restOrigin(req));
        return { status: 200, body: serializeMessage(ctx, c, m) };
      },
    });

    route(P, {
      method: 'DELETE',
      path: `${base}/:ConversationSid/Messages/:Sid`,
      sids: { ...scope.sids, Sid: 'IM' },
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        const m = message(req, c);
        c.messages.splice(c.messages.indexOf(m), 1);
        fireConversationEvent(ctx, c, 'onMessageRemoved', messageEventParams(m), restOrigin(req));
        return { status: 204 };
      },
    });

    // Conversation-scoped webhooks
    route(P, {
      method: 'POST',
      path: `${base}/:ConversationSid/Webhooks`,
      sids: scope.sids,
      body: { Target: 'enum:webhook|trigger|studio!', ...WEBHOOK_BODY },
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        const b = req.body;
        const target = b.get('Target')!.toLowerCase() as ScopedWebhook['target'];
        if (c.webhooks.size >= MAX_SCOPED_WEBHOOKS) {
          throw new TwilioApiError(400, 50366, `Too many webhooks: at most ${MAX_SCOPED_WEBHOOKS} per conversation`);
        }
        if (target === 'studio' && !b.has('Configuration.FlowSid')) throw missingParam('Configuration.FlowSid');
        if (target !== 'studio' && !b.has('Configuration.Url')) throw missingParam('Configuration.Url');
        if (target === 'trigger' && !b.has('Configuration.Triggers')) throw missingParam('Configuration.Triggers');
        const now = new Date();
        const w: ScopedWebhook = {
          sid: newSid('WH'),
          conversationSid: c.sid,
          target,
          ...readWebhookConfiguration(b),
          replayAfter: b.has('Configuration.ReplayAfter') ? b.int('Configuration.ReplayAfter')! : null,
          dateCreated: now,
          dateUpdated: now,
        };
        if (target === 'studio' && w.filters.length === 0) w.filters = ['onMessageAdded'];
        c.webhooks.set(w.sid, w);
        return { status: 201, body: serializeScopedWebhook(ctx, c, w) };
      },
    });

    route(P, {
      method: 'GET',
      path: `${base}/:ConversationSid/Webhooks`,
      sids: scope.sids,
      query: PAGE,
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        const opts = { key: 'webhooks', url: listUrl(req), maxPageSize: 5 };
        return listPage(req, [...c.webhooks.values()], opts, (w) => serializeScopedWebhook(ctx, c, w));
      },
    });

    const webhook = (req: ApiRequest, c: Conversation): ScopedWebhook => found(req, c.webhooks.get(req.params.Sid!));

    route(P, {
      method: 'GET',
      path: `${base}/:ConversationSid/Webhooks/:Sid`,
      sids: { ...scope.sids, Sid: 'WH' },
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        return { status: 200, body: serializeScopedWebhook(ctx, c, webhook(req, c)) };
      },
    });

    route(P, {
      method: 'POST',
      path: `${base}/:ConversationSid/Webhooks/:Sid`,
      sids: { ...scope.sids, Sid: 'WH' },
      body: WEBHOOK_BODY,
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        const w = webhook(req, c);
        updateWebhookConfiguration(w, req.body);
        w.dateUpdated = new Date();
        return { status: 200, body: serializeScopedWebhook(ctx, c, w) };
      },
    });

    route(P, {
      method: 'DELETE',
      path: `${base}/:ConversationSid/Webhooks/:Sid`,
      sids: { ...scope.sids, Sid: 'WH' },
      handler: (req) => {
        const c = conv(req, 'ConversationSid');
        c.webhooks.delete(webhook(req, c).sid);
        return { status: 204 };
      },
    });

    // ParticipantConversations
    route(P, {
      method: 'GET',
      path: `${scope.prefix}/ParticipantConversations`,
      sids: scope.sids,
      query: { Identity: 'str', Address: 'str', ...PAGE },
      handler: (req) => {
        const serviceSid = scope.service(req);
        const identity = req.query.get('Identity');
        const address = req.query.get('Address');
        if (!identity && !address) throw invalidParam('Identity', 'either Identity or Address must be given');
        const rows: Array<[Conversation, Participant]> = [];
        for (const c of store.conversations.values()) {
          if (c.serviceSid !== serviceSid) continue;
          for (const p of c.participants.values()) {
            if ((identity && p.identity === identity) || (address && p.messagingBinding?.address === address)) rows.push([c, p]);
          }
        }
        const opts = { key: 'conversations', url: listUrl(req), maxPageSize: 50 };
        return listPage(req, rows, opts, ([c, p]) => serializeParticipantConversation(ctx, c, p));
      },
    });
  }

  // Account configuration
  const serializeConfiguration = () => ({
    account_sid: ctx.accountSid,
    default_chat_service_sid: store.configuration.defaultChatServiceSid,
    default_messaging_service_sid: store.configuration.defaultMessagingServiceSid,
    default_inactive_timer: store.configuration.defaultInactiveTimer,
    default_closed_timer: store.configuration.defaultClosedTimer,
    url: productUrl(ctx, P, '/v1/Configuration'),
    links: {
      service: productUrl(ctx, P, `/v1/Services/${store.configuration.defaultChatServiceSid}/Configuration`),
      webhooks: productUrl(ctx, P, '/v1/Configuration/Webhooks'),
    },
  });
  route(P, { method: 'GET', path: '/v1/Configuration', handler: () => ({ status: 200, body: serializeConfiguration() }) });
  route(P, {
    method: 'POST',
    path: '/v1/Configuration',
    body: { DefaultChatServiceSid: 'sid:IS', DefaultMessagingServiceSid: 'sid:MG', DefaultInactiveTimer: 'str', DefaultClosedTimer: 'str' },
    handler: (req) => {
      const b = req.body;
      if (b.has('DefaultChatServiceSid')) {
        const sid = b.get('DefaultChatServiceSid')!;
        if (!store.convServices.has(sid)) throw invalidParam('DefaultChatServiceSid', 'no such service');
        store.configuration.defaultChatServiceSid = sid;
      }
      if (b.has('DefaultMessagingServiceSid')) store.configuration.defaultMessagingServiceSid = b.get('DefaultMessagingServiceSid')!;
      if (b.has('DefaultInactiveTimer')) store.configuration.defaultInactiveTimer = b.get('DefaultInactiveTimer')!;
      if (b.has('DefaultClosedTimer')) store.configuration.defaultClosedTimer = b.get('DefaultClosedTimer')!;
      return { status: 200, body: serializeConfiguration() };
    },
  });

  const serializeAccountWebhooks = () => {
    const w = store.configuration.webhooks;
    return {
      account_sid: ctx.accountSid,
      method: w.method,
      filters: w.filters,
      pre_webhook_url: w.preWebhookUrl,
      post_webhook_url: w.postWebhookUrl,
      target: w.target ?? 'webhook',
      url: productUrl(ctx, P, '/v1/Configuration/Webhooks'),
    };
  };
  route(P, { method: 'GET', path: '/v1/Configuration/Webhooks', handler: () => ({ status: 200, body: serializeAccountWebhooks() }) });
  route(P, {
    method: 'POST',
    path: '/v1/Configuration/Webhooks',
    body: { ...WEBHOOK_CONFIG_BODY, Target: 'enum:webhook|flex' },
    handler: (req) => {
      updateWebhookConfig(store.configuration.webhooks, req.body);
      if (req.body.has('Target')) store.configuration.webhooks.target = req.body.get('Target')!.toLowerCase() as 'webhook' | 'flex';
      return { status: 200, body: serializeAccountWebhooks() };
    },
  });

  // Services (the default Flex service is seeded; more can be created)
  const serializeService = (sid: string) => {
    const s = store.convServices.get(sid)!;
    const url = productUrl(ctx, P, `/v1/Services/${s.sid}`);
    return {
      account_sid: ctx.accountSid,
      sid: s.sid,
      friendly_name: s.friendlyName,
      date_created: iso(s.dateCreated),
      date_updated: iso(s.dateUpdated),
      url,
      links: {
        conversations: `${url}/Conversations`,
        users: `${url}/Users`,
        roles: `${url}/Roles`,
        bindings: `${url}/Bindings`,
        configuration: `${url}/Configuration`,
        participant_conversations: `${url}/ParticipantConversations`,
      },
    };
  };
  route(P, {
    method: 'POST',
    path: '/v1/Services',
    body: { FriendlyName: 'str!' },
    handler: (req) => {
      const now = new Date();
      const sid = newSid('IS');
      store.convServices.set(sid, {
        sid,
        friendlyName: req.body.get('FriendlyName')!,
        dateCreated: now,
        dateUpdated: now,
        webhooks: noWebhooks(),
      });
      return { status: 201, body: serializeService(sid) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v1/Services',
    query: PAGE,
    handler: (req) => {
      const opts = { key: 'services', url: productUrl(ctx, P, '/v1/Services'), maxPageSize: 100 };
      return listPage(req, [...store.convServices.keys()], opts, serializeService);
    },
  });
  route(P, {
    method: 'GET',
    path: '/v1/Services/:Sid',
    sids: { Sid: 'IS' },
    handler: (req) => ({ status: 200, body: serializeService(found(req, store.convServices.get(req.params.Sid!)).sid) }),
  });

  const serializeServiceWebhooks = (sid: string) => {
    const w = store.convServices.get(sid)!.webhooks;
    return {
      account_sid: ctx.accountSid,
      chat_service_sid: sid,
      pre_webhook_url: w.preWebhookUrl,
      post_webhook_url: w.postWebhookUrl,
      filters: w.filters,
      method: w.method,
      url: productUrl(ctx, P, `/v1/Services/${sid}/Configuration/Webhooks`),
    };
  };
  route(P, {
    method: 'GET',
    path: '/v1/Services/:ChatServiceSid/Configuration/Webhooks',
    sids: { ChatServiceSid: 'IS' },
    handler: (req) => ({ status: 200, body: serializeServiceWebhooks(namedService(req)) }),
  });
  route(P, {
    method: 'POST',
    path: '/v1/Services/:ChatServiceSid/Configuration/Webhooks',
    sids: { ChatServiceSid: 'IS' },
    body: { ...WEBHOOK_CONFIG_BODY, PreWebhookUrl: 'uri', PostWebhookUrl: 'uri' },
    handler: (req) => {
      const sid = namedService(req);
      updateWebhookConfig(store.convServices.get(sid)!.webhooks, req.body);
      return { status: 200, body: serializeServiceWebhooks(sid) };
    },
  });
}

function updateWebhookConfig(config: WebhookConfig, b: Params): void {
  if (b.has('Method')) {
    const m = b.get('Method')!.toUpperCase();
    if (m !== 'GET' && m !== 'POST') throw invalidParam('Method', `'${b.get('Method')}' is not one of GET, POST`);
    config.method = m;
  }
  if (b.has('Filters')) config.filters = b.getAll('Filters').filter(Boolean);
  if (b.has('PreWebhookUrl')) config.preWebhookUrl = b.get('PreWebhookUrl') || null;
  if (b.has('PostWebhookUrl')) config.postWebhookUrl = b.get('PostWebhookUrl') || null;
}
