import { readWebhookConfiguration, serializeWebhookConfiguration, updateWebhookConfiguration } from './channel-webhooks.js';
import { iso, productUrl, type Ctx } from './context.js';
import type { EventOrigin } from './event-origin.js';
import { conflict, invalidParam } from './errors.js';
import { found, restOrigin, type ApiRequest, type RouteTable } from './http.js';
import { jsonAttributes } from './json.js';
import { listPage, PAGE } from './paging.js';
import { createTask } from './routing.js';
import { newSid } from './sids.js';
import {
  noWebhooks,
  type ChatChannel,
  type ChatMember,
  type ChatMessage,
  type ChatService,
  type ChatUser,
  type ChatWebhook,
} from './state.js';
import { checkAttributes, type ParamDecls } from './validate.js';

const P = 'chat';

// ---------------------------------------------------------------- serializers

const svcUrl = (ctx: Ctx, sid: string) => productUrl(ctx, P, `/v2/Services/${sid}`);
const chUrl = (ctx: Ctx, ch: ChatChannel) => `${svcUrl(ctx, ch.serviceSid)}/Channels/${ch.sid}`;

function serializeService(ctx: Ctx, s: ChatService) {
  const url = svcUrl(ctx, s.sid);
  return {
    sid: s.sid,
    account_sid: ctx.accountSid,
    friendly_name: s.friendlyName,
    date_created: iso(s.dateCreated),
    date_updated: iso(s.dateUpdated),
    default_service_role_sid: null,
    default_channel_role_sid: null,
    default_channel_creator_role_sid: null,
    read_status_enabled: true,
    reachability_enabled: false,
    typing_indicator_timeout: 5,
    consumption_report_interval: 10,
    limits: { channel_members: 100, user_channels: 250 },
    pre_webhook_url: s.webhooks.preWebhookUrl,
    post_webhook_url: s.webhooks.postWebhookUrl,
    webhook_method: s.webhooks.method,
    webhook_filters: s.webhooks.filters,
    pre_webhook_retry_count: 0,
    post_webhook_retry_count: 0,
    notifications: {},
    media: { size_limit_mb: 150, compatibility_message: 'Media messages are not supported' },
    url,
    links: { channels: `${url}/Channels`, users: `${url}/Users`, roles: `${url}/Roles`, bindings: `${url}/Bindings` },
  };
}

export function serializeChatChannel(ctx: Ctx, ch: ChatChannel) {
  const url = chUrl(ctx, ch);
  return {
    sid: ch.sid,
    account_sid: ctx.accountSid,
    service_sid: ch.serviceSid,
    friendly_name: ch.friendlyName,
    unique_name: ch.uniqueName,
    attributes: ch.attributes,
    type: ch.type,
    date_created: iso(ch.dateCreated),
    date_updated: iso(ch.dateUpdated),
    created_by: ch.createdBy,
    members_count: ch.members.size,
    messages_count: ch.messages.length,
    url,
    links: {
      members: `${url}/Members`,
      messages: `${url}/Messages`,
      invites: `${url}/Invites`,
      webhooks: `${url}/Webhooks`,
      last_message: null,
    },
  };
}

function serializeMember(ctx: Ctx, ch: ChatChannel, m: ChatMember) {
  return {
    sid: m.sid,
    account_sid: ctx.accountSid,
    channel_sid: ch.sid,
    service_sid: ch.serviceSid,
    identity: m.identity,
    date_created: iso(m.dateCreated),
    date_updated: iso(m.dateUpdated),
    role_sid: m.roleSid,
    last_consumed_message_index: m.lastConsumedMessageIndex,
    last_consumption_timestamp: null,
    url: `${chUrl(ctx, ch)}/Members/${m.sid}`,
    attributes: m.attributes,
  };
}

export function serializeChatMessage(ctx: Ctx, ch: ChatChannel, m: ChatMessage) {
  return {
    sid: m.sid,
    account_sid: ctx.accountSid,
    attributes: m.attributes,
    service_sid: ch.serviceSid,
    to: ch.sid,
    channel_sid: ch.sid,
    date_created: iso(m.dateCreated),
    date_updated: iso(m.dateUpdated),
    last_updated_by: null,
    was_edited: m.dateUpdated.getTime() !== m.dateCreated.getTime(),
    from: m.from,
    body: m.body,
    index: m.index,
    type: 'text',
    media: null,
    url: `${chUrl(ctx, ch)}/Messages/${m.sid}`,
  };
}

function serializeChatWebhook(ctx: Ctx, ch: ChatChannel, w: ChatWebhook) {
  const configuration = serializeWebhookConfiguration(w, w.type);
  if (w.retryCount !== null) configuration.retry_count = w.retryCount;
  return {
    sid: w.sid,
    account_sid: ctx.accountSid,
    service_sid: ch.serviceSid,
    channel_sid: ch.sid,
    type: w.type,
    url: `${chUrl(ctx, ch)}/Webhooks/${w.sid}`,
    configuration,
    date_created: iso(w.dateCreated),
    date_updated: iso(w.dateUpdated),
  };
}

// ---------------------------------------------------------------- events

/**
 * Fires a Chat event. Channel `webhook`/`trigger` webhooks fire for every source; a
 * channel `studio` webhook and the Flex Flow integration start on the first message, and a
 * REST-created message starts them only with `X-Twilio-Webhook-Enabled: true`; the service's
 * post-event webhook fires for REST actions only with that header.
 */
export function fireChatEvent(
  ctx: Ctx,
  ch: ChatChannel,
  eventType: string,
  extra: Record<string, string>,
  origin: EventOrigin,
  message?: ChatMessage,
): void {
  const base: Record<string, string> = {
    AccountSid: ctx.accountSid,
    InstanceSid: ch.serviceSid,
    ChannelSid: ch.sid,
    EventType: eventType,
    Source: origin.source,
    ...(origin.clientIdentity ? { ClientIdentity: origin.clientIdentity } : {}),
    ...extra,
  };
  const hooksAllowed = origin.source !== 'API' || origin.webhookEnabled;
  for (const w of ch.webhooks.values()) {
    if (w.type === 'studio') {
      if (eventType !== 'onMessageSent' || !message || w.executed || !w.flowSid || !hooksAllowed) continue;
      if (!isCustomerMessage(ctx, ch, message)) continue;
      w.executed = true;
      const flowSid = w.flowSid;
      ctx.scheduler.run(async () =>
        ctx.studio.runForChatChannel(ctx, flowSid, ch, base, (taskSid) => {
          const fc = ctx.store.flexChannels.get(ch.sid);
          if (fc) {
            fc.taskSid = taskSid;
            fc.routed = true;
          }
        }),
      );
      continue;
    }
    if (!w.url || !w.filters.includes(eventType)) continue;
    if (w.type === 'trigger') {
      const body = (message?.body ?? '').trim().toLowerCase();
      if (eventType !== 'onMessageSent' || !w.triggers.some((t) => t.toLowerCase() === body)) continue;
    }
    ctx.webhooks.send({
      url: w.url,
      method: w.method,
      params: { ...base, WebhookSid: w.sid, WebhookType: w.type },
      ...(w.retryCount !== null ? { retries: w.retryCount } : {}),
    });
  }
  if (eventType === 'onMessageSent' && message && hooksAllowed) routeFlexChannel(ctx, ch, message);
  if (!hooksAllowed) return;
  const service = ctx.store.chatServices.get(ch.serviceSid);
  const sh = service?.webhooks;
  if (sh?.postWebhookUrl && sh.filters.includes(eventType)) ctx.webhooks.send({ url: sh.postWebhookUrl, method: sh.method, params: base });
}

function isCustomerMessage(ctx: Ctx, ch: ChatChannel, m: ChatMessage): boolean {
  const fc = ctx.store.flexChannels.get(ch.sid);
  return !fc || fc.identity === m.from;
}

/** Flex Flow `task` integration: the first customer message creates the task. */
function routeFlexChannel(ctx: Ctx, ch: ChatChannel, m: ChatMessage): void {
  const fc = ctx.store.flexChannels.get(ch.sid);
  if (!fc || fc.routed || fc.identity !== m.from) return;
  const flow = ctx.store.flexFlows.get(fc.flexFlowSid);
  if (!flow || flow.integrationType !== 'task') return;
  fc.routed = true;
  const ws = ctx.store.workspaces.get(flow.integration.workspaceSid ?? '');
  if (!ws) {
    ctx.log('flex flow: workspace not found', { flexFlowSid: flow.sid });
    return;
  }
  const channelAttributes = jsonAttributes(ch.attributes);
  const attributes = {
    name: channelAttributes.from ?? fc.identity,
    channelType: flow.channelType,
    ...jsonAttributes(fc.taskAttributes ?? '{}'),
    channelSid: ch.sid,
  };
  ctx.scheduler.run(async () => {
    const task = createTask(ctx, ws, {
      workflowSid: flow.integration.workflowSid,
      taskChannel: flow.integration.channel ?? 'chat',
      attributes: JSON.stringify(attributes),
      priority: flow.integration.priority,
      timeout: flow.integration.timeout,
    });
    fc.taskSid = task.sid;
  });
}

// ---------------------------------------------------------------- domain operations

export function chatMessageParams(m: ChatMessage): Record<string, string> {
  return {
    MessageSid: m.sid,
    Index: String(m.index),
    From: m.from,
    Body: m.body,
    Attributes: m.attributes,
    DateCreated: iso(m.dateCreated)!,
  };
}

export function channelParams(ch: ChatChannel): Record<string, string> {
  return {
    ...(ch.uniqueName ? { UniqueName: ch.uniqueName } : {}),
    FriendlyName: ch.friendlyName ?? '',
    Attributes: ch.attributes,
    ChannelType: ch.type,
    CreatedBy: ch.createdBy,
    DateCreated: iso(ch.dateCreated)!,
    DateUpdated: iso(ch.dateUpdated)!,
  };
}

export function postChatMessage(
  ctx: Ctx,
  ch: ChatChannel,
  input: { from?: string; body: string; attributes?: string },
  origin: EventOrigin,
): ChatMessage {
  const now = new Date();
  const m: ChatMessage = {
    sid: newSid('IM'),
    channelSid: ch.sid,
    serviceSid: ch.serviceSid,
    index: ch.nextIndex++,
    from: input.from ?? 'system',
    body: input.body,
    attributes: input.attributes ?? '{}',
    source: origin.source,
    dateCreated: now,
    dateUpdated: now,
  };
  ch.messages.push(m);
  fireChatEvent(ctx, ch, 'onMessageSent', { ...chatMessageParams(m), Identity: m.from }, origin, m);
  return m;
}

export function updateChatChannel(
  ctx: Ctx,
  ch: ChatChannel,
  changes: { friendlyName?: string; uniqueName?: string; attributes?: string },
  origin: EventOrigin,
): void {
  if (changes.uniqueName !== undefined && changes.uniqueName !== ch.uniqueName && changes.uniqueName) {
    const taken = [...ctx.store.chatChannels.values()].some(
      (x) => x !== ch && x.serviceSid === ch.serviceSid && x.uniqueName === changes.uniqueName,
    );
    if (taken) throw conflict(50307, 'Channel with provided unique name already exists');
  }
  if (changes.friendlyName !== undefined) ch.friendlyName = changes.friendlyName;
  if (changes.uniqueName !== undefined) ch.uniqueName = changes.uniqueName || null;
  if (changes.attributes !== undefined) ch.attributes = changes.attributes;
  ch.dateUpdated = new Date();
  fireChatEvent(ctx, ch, 'onChannelUpdated', channelParams(ch), origin);
}

export function addChatMember(
  ctx: Ctx,
  ch: ChatChannel,
  input: { identity: string; attributes?: string; roleSid?: string },
  origin: EventOrigin,
): ChatMember {
  if ([...ch.members.values()].some((m) => m.identity === input.identity)) {
    throw conflict(50404, 'Member already exists');
  }
  ensureUser(ctx, ch.serviceSid, input.identity);
  const now = new Date();
  const m: ChatMember = {
    sid: newSid('MB'),
    channelSid: ch.sid,
    serviceSid: ch.serviceSid,
    identity: input.identity,
    roleSid: input.roleSid ?? null,
    attributes: input.attributes ?? '{}',
    lastConsumedMessageIndex: null,
    dateCreated: now,
    dateUpdated: now,
  };
  ch.members.set(m.sid, m);
  fireChatEvent(
    ctx,
    ch,
    'onMemberAdded',
    { MemberSid: m.sid, Identity: m.identity, ...(m.roleSid ? { RoleSid: m.roleSid } : {}), Reason: 'ADDED', DateCreated: iso(now)! },
    origin,
  );
  return m;
}

export function removeChatMember(ctx: Ctx, ch: ChatChannel, m: ChatMember, origin: EventOrigin): void {
  ch.members.delete(m.sid);
  fireChatEvent(
    ctx,
    ch,
    'onMemberRemoved',
    { MemberSid: m.sid, Identity: m.identity, Reason: 'REMOVED', DateRemoved: iso(new Date())! },
    origin,
  );
}

export function ensureUser(ctx: Ctx, serviceSid: string, identity: string, friendlyName?: string): ChatUser {
  const service = ctx.store.chatServices.get(serviceSid)!;
  let user = service.users.get(identity);
  if (!user) {
    user = { sid: newSid('US'), serviceSid, identity, friendlyName: friendlyName ?? null, dateCreated: new Date() };
    service.users.set(identity, user);
  } else if (friendlyName) {
    user.friendlyName = friendlyName;
  }
  return user;
}

export function createChatChannel(
  ctx: Ctx,
  serviceSid: string,
  input: { sid?: string; friendlyName?: string; uniqueName?: string; attributes?: string; type?: 'public' | 'private'; createdBy?: string },
): ChatChannel {
  if (input.uniqueName && ctx.store.findChatChannel(serviceSid, input.uniqueName)) {
    throw conflict(50307, 'Channel with provided unique name already exists');
  }
  const now = new Date();
  const ch: ChatChannel = {
    sid: input.sid ?? newSid('CH'),
    serviceSid,
    friendlyName: input.friendlyName ?? null,
    uniqueName: input.uniqueName ?? null,
    attributes: input.attributes ?? '{}',
    type: input.type ?? 'public',
    createdBy: input.createdBy ?? 'system',
    dateCreated: now,
    dateUpdated: now,
    members: new Map(),
    messages: [],
    nextIndex: 0,
    webhooks: new Map(),
  };
  ctx.store.chatChannels.set(ch.sid, ch);
  return ch;
}

// ---------------------------------------------------------------- routes

const WEBHOOK_BODY: ParamDecls = {
  'Configuration.Url': 'str',
  'Configuration.Method': 'enum:GET|POST',
  'Configuration.Filters': 'list',
  'Configuration.Triggers': 'list',
  'Configuration.FlowSid': 'sid:FW',
  'Configuration.RetryCount': 'int',
};

export function registerChatRoutes(route: RouteTable, ctx: Ctx): void {
  const store = ctx.store;
  const service = (req: ApiRequest, name = 'ServiceSid'): ChatService => found(req, store.chatServices.get(req.params[name]!));
  const channel = (req: ApiRequest, name = 'ChannelSid'): ChatChannel =>
    found(req, store.findChatChannel(service(req).sid, req.params[name]!));
  const listUrl = (req: ApiRequest) => productUrl(ctx, P, req.twilioPath);
  const IS = { ServiceSid: 'IS' };

  // Services
  route(P, {
    method: 'POST',
    path: '/v2/Services',
    body: { FriendlyName: 'str!' },
    handler: (req) => {
      const now = new Date();
      const s: ChatService = {
        sid: newSid('IS'),
        friendlyName: req.body.get('FriendlyName')!,
        dateCreated: now,
        dateUpdated: now,
        users: new Map(),
        webhooks: noWebhooks(),
      };
      store.chatServices.set(s.sid, s);
      return { status: 201, body: serializeService(ctx, s) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v2/Services',
    query: PAGE,
    handler: (req) => {
      const opts = { key: 'services', url: productUrl(ctx, P, '/v2/Services'), maxPageSize: 100 };
      return listPage(req, [...store.chatServices.values()], opts, (s) => serializeService(ctx, s));
    },
  });
  route(P, {
    method: 'GET',
    path: '/v2/Services/:Sid',
    sids: { Sid: 'IS' },
    handler: (req) => ({ status: 200, body: serializeService(ctx, service(req, 'Sid')) }),
  });
  route(P, {
    method: 'POST',
    path: '/v2/Services/:Sid',
    sids: { Sid: 'IS' },
    body: { FriendlyName: 'str', PreWebhookUrl: 'uri', PostWebhookUrl: 'uri', WebhookMethod: 'enum:GET|POST', WebhookFilters: 'list' },
    handler: (req) => {
      const s = service(req, 'Sid');
      const b = req.body;
      const hooks = s.webhooks;
      if (b.has('FriendlyName')) s.friendlyName = b.get('FriendlyName')!;
      if (b.has('PreWebhookUrl')) hooks.preWebhookUrl = b.get('PreWebhookUrl') || null;
      if (b.has('PostWebhookUrl')) hooks.postWebhookUrl = b.get('PostWebhookUrl') || null;
      if (b.has('WebhookMethod')) hooks.method = b.get('WebhookMethod')!.toUpperCase() as 'GET' | 'POST';
      if (b.has('WebhookFilters')) hooks.filters = b.getAll('WebhookFilters');
      s.dateUpdated = new Date();
      return { status: 200, body: serializeService(ctx, s) };
    },
  });

  // Channels
  const CHANNEL_BODY: ParamDecls = {
    FriendlyName: 'str',
    UniqueName: 'str',
    Attributes: 'str',
    DateCreated: 'date',
    DateUpdated: 'date',
    CreatedBy: 'str',
  };
  route(P, {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Channels',
    sids: IS,
    body: { ...CHANNEL_BODY, Type: 'enum:public|private' },
    handler: (req) => {
      const s = service(req);
      const b = req.body;
      checkAttributes(b);
      const ch = createChatChannel(ctx, s.sid, {
        friendlyName: b.get('FriendlyName'),
        uniqueName: b.get('UniqueName'),
        attributes: b.get('Attributes'),
        type: b.get('Type')?.toLowerCase() as 'public' | 'private' | undefined,
        createdBy: b.get('CreatedBy'),
      });
      fireChatEvent(ctx, ch, 'onChannelAdded', channelParams(ch), restOrigin(req));
      return { status: 201, body: serializeChatChannel(ctx, ch) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Channels',
    sids: IS,
    query: { Type: 'enum:public|private', ...PAGE },
    handler: (req) => {
      const s = service(req);
      const types = req.query.getAll('Type').map((t) => t.toLowerCase());
      const all = [...store.chatChannels.values()].filter((c) => c.serviceSid === s.sid && (!types.length || types.includes(c.type)));
      return listPage(req, all, { key: 'channels', url: listUrl(req), maxPageSize: 100 }, (c) => serializeChatChannel(ctx, c));
    },
  });
  route(P, {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Channels/:Sid',
    sids: IS,
    handler: (req) => ({ status: 200, body: serializeChatChannel(ctx, channel(req, 'Sid')) }),
  });
  route(P, {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Channels/:Sid',
    sids: IS,
    body: CHANNEL_BODY,
    handler: (req) => {
      const ch = channel(req, 'Sid');
      const b = req.body;
      checkAttributes(b);
      updateChatChannel(
        ctx,
        ch,
        { friendlyName: b.get('FriendlyName'), uniqueName: b.get('UniqueName'), attributes: b.get('Attributes') },
        restOrigin(req),
      );
      return { status: 200, body: serializeChatChannel(ctx, ch) };
    },
  });
  route(P, {
    method: 'DELETE',
    path: '/v2/Services/:ServiceSid/Channels/:Sid',
    sids: IS,
    handler: (req) => {
      const ch = channel(req, 'Sid');
      fireChatEvent(ctx, ch, 'onChannelDestroyed', channelParams(ch), restOrigin(req));
      store.chatChannels.delete(ch.sid);
      store.flexChannels.delete(ch.sid);
      return { status: 204 };
    },
  });

  // Members
  route(P, {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Members',
    sids: IS,
    body: {
      Identity: 'str!',
      RoleSid: 'sid:RL',
      LastConsumedMessageIndex: 'int',
      LastConsumptionTimestamp: 'date',
      DateCreated: 'date',
      DateUpdated: 'date',
      Attributes: 'str',
    },
    handler: (req) => {
      const ch = channel(req);
      const b = req.body;
      checkAttributes(b);
      const input = { identity: b.get('Identity')!, attributes: b.get('Attributes'), roleSid: b.get('RoleSid') };
      const m = addChatMember(ctx, ch, input, restOrigin(req));
      if (b.has('LastConsumedMessageIndex')) m.lastConsumedMessageIndex = b.int('LastConsumedMessageIndex')!;
      return { status: 201, body: serializeMember(ctx, ch, m) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Members',
    sids: IS,
    query: { Identity: 'list', ...PAGE },
    handler: (req) => {
      const ch = channel(req);
      const ids = req.query.getAll('Identity');
      const all = [...ch.members.values()].filter((m) => !ids.length || ids.includes(m.identity));
      return listPage(req, all, { key: 'members', url: listUrl(req), maxPageSize: 100 }, (m) => serializeMember(ctx, ch, m));
    },
  });
  const member = (req: ApiRequest, ch: ChatChannel): ChatMember => {
    const key = req.params.Sid!;
    return found(req, ch.members.get(key) ?? [...ch.members.values()].find((x) => x.identity === key));
  };
  route(P, {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Members/:Sid',
    sids: IS,
    handler: (req) => {
      const ch = channel(req);
      return { status: 200, body: serializeMember(ctx, ch, member(req, ch)) };
    },
  });
  route(P, {
    method: 'DELETE',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Members/:Sid',
    sids: IS,
    handler: (req) => {
      const ch = channel(req);
      removeChatMember(ctx, ch, member(req, ch), restOrigin(req));
      return { status: 204 };
    },
  });

  // Messages
  route(P, {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Messages',
    sids: IS,
    body: {
      From: 'str',
      Attributes: 'str',
      DateCreated: 'date',
      DateUpdated: 'date',
      LastUpdatedBy: 'str',
      Body: 'str',
      MediaSid: 'sid:ME',
    },
    handler: (req) => {
      const ch = channel(req);
      const b = req.body;
      checkAttributes(b);
      if (!b.has('Body') && !b.has('MediaSid')) throw invalidParam('Body', 'Body or MediaSid must be given');
      const input = { from: b.get('From'), body: b.get('Body') ?? '', attributes: b.get('Attributes') };
      const m = postChatMessage(ctx, ch, input, restOrigin(req));
      return { status: 201, body: serializeChatMessage(ctx, ch, m) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Messages',
    sids: IS,
    query: { Order: 'enum:asc|desc', ...PAGE },
    handler: (req) => {
      const ch = channel(req);
      const list = req.query.get('Order')?.toLowerCase() === 'desc' ? [...ch.messages].reverse() : ch.messages;
      return listPage(req, list, { key: 'messages', url: listUrl(req), maxPageSize: 100 }, (m) => serializeChatMessage(ctx, ch, m));
    },
  });
  const message = (req: ApiRequest, ch: ChatChannel): ChatMessage => found(req, ch.messages.find((x) => x.sid === req.params.Sid));
  route(P, {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Messages/:Sid',
    sids: { ...IS, Sid: 'IM' },
    handler: (req) => {
      const ch = channel(req);
      return { status: 200, body: serializeChatMessage(ctx, ch, message(req, ch)) };
    },
  });
  route(P, {
    method: 'DELETE',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Messages/:Sid',
    sids: { ...IS, Sid: 'IM' },
    handler: (req) => {
      const ch = channel(req);
      const m = message(req, ch);
      ch.messages.splice(ch.messages.indexOf(m), 1);
      fireChatEvent(ctx, ch, 'onMessageRemoved', chatMessageParams(m), restOrigin(req));
      return { status: 204 };
    },
  });

  // Channel webhooks
  route(P, {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Webhooks',
    sids: IS,
    body: { Type: 'enum:webhook|trigger|studio!', ...WEBHOOK_BODY },
    handler: (req) => {
      const ch = channel(req);
      const b = req.body;
      const type = b.get('Type')!.toLowerCase() as ChatWebhook['type'];
      if (ch.webhooks.size >= 5) throw invalidParam('Type', 'at most 5 webhooks per channel');
      if (type === 'studio' && !b.has('Configuration.FlowSid')) throw invalidParam('Configuration.FlowSid', 'required for studio webhooks');
      if (type !== 'studio' && !b.has('Configuration.Url')) throw invalidParam('Configuration.Url', `required for ${type} webhooks`);
      const now = new Date();
      const w: ChatWebhook = {
        sid: newSid('WH'),
        serviceSid: ch.serviceSid,
        channelSid: ch.sid,
        type,
        ...readWebhookConfiguration(b),
        retryCount: b.has('Configuration.RetryCount') ? b.int('Configuration.RetryCount')! : null,
        dateCreated: now,
        dateUpdated: now,
      };
      ch.webhooks.set(w.sid, w);
      return { status: 201, body: serializeChatWebhook(ctx, ch, w) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Webhooks',
    sids: IS,
    query: PAGE,
    handler: (req) => {
      const ch = channel(req);
      const opts = { key: 'webhooks', url: listUrl(req), maxPageSize: 5 };
      return listPage(req, [...ch.webhooks.values()], opts, (w) => serializeChatWebhook(ctx, ch, w));
    },
  });
  const webhook = (req: ApiRequest, ch: ChatChannel): ChatWebhook => found(req, ch.webhooks.get(req.params.Sid!));
  route(P, {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Webhooks/:Sid',
    sids: { ...IS, Sid: 'WH' },
    handler: (req) => {
      const ch = channel(req);
      return { status: 200, body: serializeChatWebhook(ctx, ch, webhook(req, ch)) };
    },
  });
  route(P, {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Webhooks/:Sid',
    sids: { ...IS, Sid: 'WH' },
    body: WEBHOOK_BODY,
    handler: (req) => {
      const ch = channel(req);
      const w = webhook(req, ch);
      const b = req.body;
      updateWebhookConfiguration(w, b);
      if (b.has('Configuration.RetryCount')) w.retryCount = b.int('Configuration.RetryCount')!;
      w.dateUpdated = new Date();
      return { status: 200, body: serializeChatWebhook(ctx, ch, w) };
    },
  });
  route(P, {
    method: 'DELETE',
    path: '/v2/Services/:ServiceSid/Channels/:ChannelSid/Webhooks/:Sid',
    sids: { ...IS, Sid: 'WH' },
    handler: (req) => {
      const ch = channel(req);
      ch.webhooks.delete(webhook(req, ch).sid);
      return { status: 204 };
    },
  });
}
