import type { Ctx } from '../context.js';
import { TwilioApiError } from '../errors.js';
import { assignText } from '../fields.js';
import type { Params } from '../form.js';
import { restOrigin, type ApiRequest, type RouteTable } from '../http.js';
import { resourceRoutes } from '../resource-routes.js';
import type { Conversation, ConversationState } from '../state.js';
import { checkAttributes, type ParamDecls } from '../validate.js';
import { registerConfigurationRoutes } from './configuration.js';
import { conversationEventParams, fireConversationEvent } from './events.js';
import { armTimers, assertOpen, assertUniqueNameFree, clearTimers, createConversationRecord, setConversationState } from './lifecycle.js';
import { registerMessageRoutes } from './messages.js';
import { registerParticipantConversationRoutes, registerParticipantRoutes } from './participants.js';
import { P, serviceScopes, type ServiceScope } from './scope.js';
import { serializeConversation } from './serializers.js';
import { registerServiceRoutes } from './services.js';
import { readTimers } from './timers.js';
import { registerScopedWebhookRoutes } from './webhooks.js';

const STATES = 'enum:initializing|inactive|active|closed';
const ATTRIBUTES_LIMIT = 16 * 1024;
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

export function registerConversationRoutes(route: RouteTable, ctx: Ctx): void {
  for (const scope of serviceScopes(ctx)) {
    registerConversationResource(route, ctx, scope);
    registerParticipantRoutes(route, ctx, scope);
    registerMessageRoutes(route, ctx, scope);
    registerScopedWebhookRoutes(route, ctx, scope);
    registerParticipantConversationRoutes(route, ctx, scope);
  }
  registerConfigurationRoutes(route, ctx);
  registerServiceRoutes(route, ctx);
}

function registerConversationResource(route: RouteTable, ctx: Ctx, scope: ServiceScope): void {
  const conversations = resourceRoutes(route, ctx, {
    product: P,
    path: `${scope.prefix}/Conversations`,
    sids: scope.sids,
    parent: (req) => scope.service(req),
    find: (serviceSid, sid) => ctx.store.findConversation(sid, serviceSid),
    serialize: (_serviceSid, c: Conversation) => serializeConversation(ctx, c),
  });
  conversations.create(CONVERSATION_BODY, (req, serviceSid) => createConversation(ctx, req, serviceSid));
  conversations.list({
    key: 'conversations',
    maxPageSize: 100,
    query: { State: STATES, StartDate: 'date', EndDate: 'date' },
    items: (req, serviceSid) => listConversations(ctx, req.query, serviceSid),
  });
  conversations.fetch();
  conversations.update(CONVERSATION_BODY, (req, _serviceSid, c) => updateConversation(ctx, req, c));
  conversations.remove((req, _serviceSid, c) => {
    clearTimers(ctx, c);
    fireConversationEvent(ctx, c, 'onConversationRemoved', conversationEventParams(c), restOrigin(req));
    ctx.store.removeConversation(c);
  });
}

function createConversation(ctx: Ctx, req: ApiRequest, serviceSid: string): Conversation {
  const b = req.body;
  checkAttributes(b, 'Attributes', ATTRIBUTES_LIMIT);
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
  return c;
}

function listConversations(ctx: Ctx, query: Params, serviceSid: string): Conversation[] {
  const state = query.get('State')?.toLowerCase();
  const start = query.get('StartDate');
  const end = query.get('EndDate');
  return [...ctx.store.conversations.values()].filter(
    (c) =>
      c.serviceSid === serviceSid && (!state || c.state === state) && (!start || c.dateCreated >= new Date(start)) && (!end || c.dateCreated <= new Date(end)),
  );
}

/** An update; closing an already closed conversation (State alone) is the one change allowed on it. */
function updateConversation(ctx: Ctx, req: ApiRequest, c: Conversation): void {
  const b = req.body;
  checkAttributes(b, 'Attributes', ATTRIBUTES_LIMIT);
  const wantState = b.get('State')?.toLowerCase() as ConversationState | undefined;
  if (c.state === 'closed' && !(wantState === 'closed' && b.names().length === 1)) assertOpen(c);
  applyConversationFields(ctx, b, c);
  const timersChanged = b.has('Timers.Inactive') || b.has('Timers.Closed');
  readTimers(b, c);
  c.dateUpdated = b.date('DateUpdated') ?? new Date();
  if (wantState && wantState !== c.state) {
    setConversationState(ctx, c, wantState, restOrigin(req));
    return;
  }
  if (timersChanged) armTimers(ctx, c);
  if (b.names().some((n) => n !== 'State')) {
    fireConversationEvent(ctx, c, 'onConversationUpdated', conversationEventParams(c), restOrigin(req));
  }
}

function applyConversationFields(ctx: Ctx, b: Params, c: Conversation): void {
  if (b.has('UniqueName') && b.get('UniqueName') !== c.uniqueName) {
    const u = b.get('UniqueName')!;
    if (u) assertUniqueNameFree(ctx, c.serviceSid, u, c);
    ctx.store.renameConversation(c, u || null);
  }
  assignText(b, c, {
    FriendlyName: 'friendlyName',
    Attributes: 'attributes',
    MessagingServiceSid: 'messagingServiceSid',
  });
  if (b.has('DateCreated')) c.dateCreated = b.date('DateCreated')!;
}
