import { safeErrorMessage } from '@custom-channels/logging';
import { createChatChannel } from './chat/channels.js';
import { addChatMember, ensureUser } from './chat/members.js';
import { iso, productUrl, type Ctx } from './context.js';
import { createConversationRecord, setConversationState } from './conversations/lifecycle.js';
import { invalidParam, notFound } from './errors.js';
import type { Params } from './form.js';
import { found, type ApiRequest, type RouteTable } from './http.js';
import { jsonAttributes } from './json.js';
import { listPage, PAGE } from './paging.js';
import { createConversationTask, createInteraction, type FlexRouting } from './routing.js';
import { newSid } from './sids.js';
import type { FlexChannel, FlexFlow, Interaction, InteractionChannel, Task } from './state.js';
import type { ParamDecls } from './validate.js';

const P = 'flex-api';

function serializeFlexFlow(ctx: Ctx, f: FlexFlow) {
  const integration: Record<string, unknown> = {};
  const i = f.integration;
  if (i.flowSid) integration.flow_sid = i.flowSid;
  if (i.url) integration.url = i.url;
  if (i.workspaceSid) integration.workspace_sid = i.workspaceSid;
  if (i.workflowSid) integration.workflow_sid = i.workflowSid;
  if (i.channel) integration.channel = i.channel;
  if (i.timeout !== undefined) integration.timeout = i.timeout;
  if (i.priority !== undefined) integration.priority = i.priority;
  if (i.creationOnMessage !== undefined) integration.creation_on_message = i.creationOnMessage;
  integration.retry_count = i.retryCount ?? 0;
  return {
    account_sid: ctx.accountSid,
    date_created: iso(f.dateCreated),
    date_updated: iso(f.dateUpdated),
    sid: f.sid,
    friendly_name: f.friendlyName,
    chat_service_sid: f.chatServiceSid,
    channel_type: f.channelType,
    contact_identity: f.contactIdentity,
    enabled: f.enabled,
    integration_type: f.integrationType,
    integration,
    long_lived: f.longLived,
    janitor_enabled: f.janitorEnabled,
    url: productUrl(ctx, P, `/v1/FlexFlows/${f.sid}`),
  };
}

function serializeFlexChannel(ctx: Ctx, c: FlexChannel) {
  return {
    account_sid: ctx.accountSid,
    flex_flow_sid: c.flexFlowSid,
    sid: c.sid,
    user_sid: c.userSid,
    task_sid: c.taskSid,
    url: productUrl(ctx, P, `/v1/Channels/${c.sid}`),
    date_created: iso(c.dateCreated),
    date_updated: iso(c.dateUpdated),
  };
}

function serializeInteraction(ctx: Ctx, i: Interaction) {
  const url = productUrl(ctx, P, `/v1/Interactions/${i.sid}`);
  return {
    sid: i.sid,
    channel: i.channel,
    routing: i.routing,
    url,
    links: { channels: `${url}/Channels` },
    interaction_context_sid: i.interactionContextSid,
    webhook_ttid: i.webhookTtid,
  };
}

function serializeInteractionChannel(ctx: Ctx, c: InteractionChannel) {
  const url = productUrl(ctx, P, `/v1/Interactions/${c.interactionSid}/Channels/${c.sid}`);
  return {
    sid: c.sid,
    interaction_sid: c.interactionSid,
    type: c.type,
    status: c.status,
    error_code: c.errorCode,
    error_message: c.errorMessage,
    url,
    links: { participants: `${url}/Participants`, invites: `${url}/Invites`, transfers: `${url}/Transfers` },
  };
}

const FLEX_FLOW_BODY: ParamDecls = {
  FriendlyName: 'str',
  ChatServiceSid: 'sid:IS',
  ChannelType: 'enum:web|sms|facebook|whatsapp|line|custom',
  ContactIdentity: 'str',
  Enabled: 'bool',
  IntegrationType: 'enum:studio|external|task',
  'Integration.FlowSid': 'sid:FW',
  'Integration.Url': 'uri',
  'Integration.WorkspaceSid': 'sid:WS',
  'Integration.WorkflowSid': 'sid:WW',
  'Integration.Channel': 'str',
  'Integration.Timeout': 'int',
  'Integration.Priority': 'int',
  'Integration.CreationOnMessage': 'bool',
  LongLived: 'bool',
  JanitorEnabled: 'bool',
  'Integration.RetryCount': 'int',
};

function applyFlexFlow(f: FlexFlow, b: Params): void {
  if (b.has('FriendlyName')) f.friendlyName = b.get('FriendlyName')!;
  if (b.has('ChatServiceSid')) f.chatServiceSid = b.get('ChatServiceSid')!;
  if (b.has('ChannelType')) f.channelType = b.get('ChannelType')!.toLowerCase();
  if (b.has('ContactIdentity')) f.contactIdentity = b.get('ContactIdentity')!;
  if (b.has('Enabled')) f.enabled = b.bool('Enabled')!;
  if (b.has('IntegrationType')) f.integrationType = b.get('IntegrationType')!.toLowerCase() as FlexFlow['integrationType'];
  const i = f.integration;
  if (b.has('Integration.FlowSid')) i.flowSid = b.get('Integration.FlowSid')!;
  if (b.has('Integration.Url')) i.url = b.get('Integration.Url')!;
  if (b.has('Integration.WorkspaceSid')) i.workspaceSid = b.get('Integration.WorkspaceSid')!;
  if (b.has('Integration.WorkflowSid')) i.workflowSid = b.get('Integration.WorkflowSid')!;
  if (b.has('Integration.Channel')) i.channel = b.get('Integration.Channel')!;
  if (b.has('Integration.Timeout')) i.timeout = b.int('Integration.Timeout')!;
  if (b.has('Integration.Priority')) i.priority = b.int('Integration.Priority')!;
  if (b.has('Integration.CreationOnMessage')) i.creationOnMessage = b.bool('Integration.CreationOnMessage')!;
  if (b.has('Integration.RetryCount')) i.retryCount = b.int('Integration.RetryCount')!;
  if (b.has('LongLived')) f.longLived = b.bool('LongLived')!;
  if (b.has('JanitorEnabled')) f.janitorEnabled = b.bool('JanitorEnabled')!;
  f.dateUpdated = new Date();
}

/** Closing an interaction channel: the conversation closes, open tasks end. */
export function closeInteractionChannel(ctx: Ctx, ch: InteractionChannel, status: 'closed' | 'inactive'): void {
  ch.status = status;
  const conv = ch.mediaChannelSid ? ctx.store.conversations.get(ch.mediaChannelSid) : undefined;
  const tasks = ctx.store.allTasks().filter((t) => taskInteractionChannel(t) === ch.sid);
  for (const t of tasks) endTask(t, status === 'closed');
  if (conv) setConversationState(ctx, conv, status, { source: 'API', webhookEnabled: true });
}

function taskInteractionChannel(t: Task): string | undefined {
  try {
    return (JSON.parse(t.attributes) as { flexInteractionChannelSid?: string }).flexInteractionChannelSid;
  } catch {
    return undefined;
  }
}

function endTask(t: Task, close: boolean): void {
  const now = new Date();
  if (t.assignmentStatus === 'pending' || t.assignmentStatus === 'reserved') {
    t.assignmentStatus = 'canceled';
    t.reason = 'interaction channel closed';
  } else if (t.assignmentStatus === 'assigned') {
    t.assignmentStatus = close ? 'completed' : 'wrapping';
    t.reason = 'interaction channel closed';
  } else if (t.assignmentStatus === 'wrapping' && close) {
    t.assignmentStatus = 'completed';
  }
  t.dateUpdated = now;
}

function objectParam(b: Params, name: string, required: boolean): Record<string, unknown> | undefined {
  const v = b.get(name);
  if (v === undefined) {
    if (required) throw invalidParam(name, 'missing');
    return undefined;
  }
  try {
    const parsed = JSON.parse(v) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw invalidParam(name, 'must be a JSON object');
}

export function registerFlexRoutes(route: RouteTable, ctx: Ctx): void {
  const store = ctx.store;
  const flexFlow = (req: ApiRequest): FlexFlow => found(req, store.flexFlows.get(req.params.Sid!));

  // Flex Flows
  route(P, {
    method: 'POST',
    path: '/v1/FlexFlows',
    body: {
      ...FLEX_FLOW_BODY,
      FriendlyName: 'str!',
      ChatServiceSid: 'sid:IS!',
      ChannelType: 'enum:web|sms|facebook|whatsapp|line|custom!',
    },
    handler: (req) => {
      const b = req.body;
      if (!store.chatServices.has(b.get('ChatServiceSid')!)) throw invalidParam('ChatServiceSid', 'chat service not found');
      const name = b.get('FriendlyName')!;
      if ([...store.flexFlows.values()].some((f) => f.friendlyName === name)) {
        throw invalidParam('FriendlyName', 'a Flex Flow with this friendly name already exists');
      }
      const now = new Date();
      const f: FlexFlow = {
        sid: newSid('FO'),
        friendlyName: name,
        chatServiceSid: b.get('ChatServiceSid')!,
        channelType: b.get('ChannelType')!.toLowerCase(),
        contactIdentity: null,
        enabled: true,
        integrationType: null,
        integration: {},
        longLived: false,
        janitorEnabled: false,
        dateCreated: now,
        dateUpdated: now,
      };
      applyFlexFlow(f, b);
      if (f.integrationType === 'studio' && !f.integration.flowSid) throw invalidParam('Integration.FlowSid', 'required for studio integration');
      if (f.integrationType === 'task' && (!f.integration.workspaceSid || !f.integration.workflowSid)) {
        throw invalidParam('Integration.WorkspaceSid', 'Integration.WorkspaceSid and Integration.WorkflowSid are required for task integration');
      }
      if (f.integrationType === 'external' && !f.integration.url) throw invalidParam('Integration.Url', 'required for external integration');
      store.flexFlows.set(f.sid, f);
      return { status: 201, body: serializeFlexFlow(ctx, f) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v1/FlexFlows',
    query: { FriendlyName: 'str', ...PAGE },
    handler: (req) => {
      const name = req.query.get('FriendlyName');
      const all = [...store.flexFlows.values()].filter((f) => !name || f.friendlyName === name);
      return listPage(req, all, { key: 'flex_flows', url: productUrl(ctx, P, '/v1/FlexFlows') }, (f) => serializeFlexFlow(ctx, f));
    },
  });
  route(P, {
    method: 'GET',
    path: '/v1/FlexFlows/:Sid',
    sids: { Sid: 'FO' },
    handler: (req) => ({ status: 200, body: serializeFlexFlow(ctx, flexFlow(req)) }),
  });
  route(P, {
    method: 'POST',
    path: '/v1/FlexFlows/:Sid',
    sids: { Sid: 'FO' },
    body: FLEX_FLOW_BODY,
    handler: (req) => {
      const f = flexFlow(req);
      applyFlexFlow(f, req.body);
      return { status: 200, body: serializeFlexFlow(ctx, f) };
    },
  });
  route(P, {
    method: 'DELETE',
    path: '/v1/FlexFlows/:Sid',
    sids: { Sid: 'FO' },
    handler: (req) => {
      store.flexFlows.delete(flexFlow(req).sid);
      return { status: 204 };
    },
  });

  // Flex chat channels (legacy): a Chat v2 channel with the same SID, a user and a member.
  route(P, {
    method: 'POST',
    path: '/v1/Channels',
    body: {
      FlexFlowSid: 'sid:FO!',
      Identity: 'str!',
      ChatUserFriendlyName: 'str!',
      ChatFriendlyName: 'str!',
      Target: 'str',
      ChatUniqueName: 'str',
      PreEngagementData: 'str',
      TaskSid: 'sid:WT',
      TaskAttributes: 'str',
      LongLived: 'bool',
    },
    handler: (req) => {
      const b = req.body;
      const flow = store.flexFlows.get(b.get('FlexFlowSid')!);
      if (!flow) throw notFound(`/v1/FlexFlows/${b.get('FlexFlowSid')}`);
      if (!flow.enabled) throw invalidParam('FlexFlowSid', 'the Flex Flow is disabled');
      const identity = b.get('Identity')!;
      // Flex reuses the identity's open channel on the same Flex Flow.
      for (const existing of store.flexChannels.values()) {
        if (existing.flexFlowSid !== flow.sid || existing.identity !== identity) continue;
        const ch = store.chatChannels.get(existing.sid);
        if (ch && (jsonAttributes(ch.attributes).status ?? 'ACTIVE') !== 'INACTIVE') {
          return { status: 201, body: serializeFlexChannel(ctx, existing) };
        }
      }
      for (const name of ['PreEngagementData', 'TaskAttributes']) {
        const v = b.get(name);
        if (v !== undefined) {
          try {
            JSON.parse(v);
          } catch {
            throw invalidParam(name, 'must be valid JSON');
          }
        }
      }
      const user = ensureUser(ctx, flow.chatServiceSid, identity, b.get('ChatUserFriendlyName'));
      const attributes: Record<string, unknown> = {
        status: 'ACTIVE',
        long_lived: b.bool('LongLived') ?? flow.longLived,
        from: b.get('ChatUserFriendlyName'),
        channel_type: flow.channelType,
      };
      if (b.has('PreEngagementData')) attributes.pre_engagement_data = JSON.parse(b.get('PreEngagementData')!);
      if (b.has('Target')) attributes.target = b.get('Target');
      const chat = createChatChannel(ctx, flow.chatServiceSid, {
        friendlyName: b.get('ChatFriendlyName'),
        uniqueName: b.get('ChatUniqueName'),
        attributes: JSON.stringify(attributes),
        type: 'private',
        createdBy: 'system',
      });
      const now = new Date();
      const fc: FlexChannel = {
        sid: chat.sid,
        flexFlowSid: flow.sid,
        userSid: user.sid,
        identity,
        taskSid: b.get('TaskSid') ?? null,
        taskAttributes: b.get('TaskAttributes') ?? null,
        routed: b.has('TaskSid'),
        dateCreated: now,
        dateUpdated: now,
      };
      store.flexChannels.set(fc.sid, fc);
      const internal = { source: 'API' as const, webhookEnabled: false };
      addChatMember(ctx, chat, { identity }, internal);
      if (flow.integrationType === 'studio' && flow.integration.flowSid) {
        const sid = newSid('WH');
        chat.webhooks.set(sid, {
          sid,
          serviceSid: chat.serviceSid,
          channelSid: chat.sid,
          type: 'studio',
          url: null,
          method: 'POST',
          filters: ['onMessageSent'],
          triggers: [],
          flowSid: flow.integration.flowSid,
          retryCount: flow.integration.retryCount ?? null,
          dateCreated: now,
          dateUpdated: now,
        });
      }
      return { status: 201, body: serializeFlexChannel(ctx, fc) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v1/Channels',
    query: PAGE,
    handler: (req) =>
      listPage(req, [...store.flexChannels.values()], { key: 'flex_chat_channels', url: productUrl(ctx, P, '/v1/Channels') }, (c) =>
        serializeFlexChannel(ctx, c),
      ),
  });
  const flexChannel = (req: ApiRequest): FlexChannel => found(req, store.flexChannels.get(req.params.Sid!));
  route(P, {
    method: 'GET',
    path: '/v1/Channels/:Sid',
    sids: { Sid: 'CH' },
    handler: (req) => ({ status: 200, body: serializeFlexChannel(ctx, flexChannel(req)) }),
  });
  route(P, {
    method: 'DELETE',
    path: '/v1/Channels/:Sid',
    sids: { Sid: 'CH' },
    handler: (req) => {
      const c = flexChannel(req);
      store.flexChannels.delete(c.sid);
      store.chatChannels.delete(c.sid);
      return { status: 204 };
    },
  });

  // Interactions
  route(P, {
    method: 'POST',
    path: '/v1/Interactions',
    body: { Channel: 'str!', Routing: 'str', InteractionContextSid: 'sid:HQ', WebhookTtid: 'str' },
    handler: (req) => {
      const b = req.body;
      const channel = objectParam(b, 'Channel', true)!;
      const routing = objectParam(b, 'Routing', false) ?? {};
      const type = String(channel.type ?? '');
      const types = ['voice', 'sms', 'email', 'web', 'whatsapp', 'chat', 'messenger', 'gbm'];
      if (!types.includes(type)) throw invalidParam('Channel', `type '${type}' is not one of ${types.join(', ')}`);
      const props = (channel.properties ?? {}) as Record<string, unknown>;
      const rprops = (routing.properties ?? {}) as Record<string, unknown>;
      let conv = props.media_channel_sid ? store.conversations.get(String(props.media_channel_sid)) : undefined;
      if (props.media_channel_sid && !conv) throw invalidParam('Channel', `conversation ${String(props.media_channel_sid)} not found`);
      if (conv?.state === 'closed') throw invalidParam('Channel', 'the conversation is closed');
      const workspaceSid = String(rprops.workspace_sid ?? '');
      const ws = store.workspaces.get(workspaceSid);
      if (!ws) throw invalidParam('Routing', `workspace '${workspaceSid}' not found`);
      const workflowSid = String(rprops.workflow_sid ?? '');
      if (!ws.workflows.has(workflowSid)) throw invalidParam('Routing', `workflow '${workflowSid}' not found`);
      let attributes: Record<string, unknown> = {};
      if (typeof rprops.attributes === 'string') {
        try {
          attributes = JSON.parse(rprops.attributes) as Record<string, unknown>;
        } catch {
          throw invalidParam('Routing', 'properties.attributes must be JSON');
        }
      } else if (rprops.attributes && typeof rprops.attributes === 'object') {
        attributes = rprops.attributes as Record<string, unknown>;
      }
      if (!conv) {
        conv = createConversationRecord(ctx, store.configuration.defaultChatServiceSid, { friendlyName: null });
      }
      const { interaction, channel: ich } = createInteraction(ctx, conv, channel, routing);
      if (b.has('InteractionContextSid')) interaction.interactionContextSid = b.get('InteractionContextSid')!;
      if (b.has('WebhookTtid')) interaction.webhookTtid = b.get('WebhookTtid')!;
      const flexRouting: FlexRouting = {
        workspaceSid,
        workflowSid,
        taskChannel: String(rprops.task_channel_unique_name ?? rprops.task_channel_sid ?? 'chat'),
        attributes,
        priority: typeof rprops.priority === 'number' ? rprops.priority : undefined,
        timeout: typeof rprops.timeout === 'number' ? rprops.timeout : undefined,
      };
      const target = conv;
      const initiatedBy = String(channel.initiated_by ?? 'customer');
      // Task creation is asynchronous, as in Flex: the Interaction answers first.
      ctx.scheduler.setTimeout(() => {
        try {
          createConversationTask(ctx, target, flexRouting, interaction, ich, initiatedBy);
        } catch (err) {
          ctx.log('interaction: task creation failed', { error: safeErrorMessage(err) });
        }
      }, 5);
      return { status: 200, body: serializeInteraction(ctx, interaction) };
    },
  });
  const interaction = (req: ApiRequest, name: string): Interaction => found(req, store.interactions.get(req.params[name]!));
  route(P, {
    method: 'GET',
    path: '/v1/Interactions/:Sid',
    sids: { Sid: 'KD' },
    handler: (req) => ({ status: 200, body: serializeInteraction(ctx, interaction(req, 'Sid')) }),
  });
  route(P, {
    method: 'POST',
    path: '/v1/Interactions/:Sid',
    sids: { Sid: 'KD' },
    body: { WebhookTtid: 'str' },
    handler: (req) => {
      const i = interaction(req, 'Sid');
      if (req.body.has('WebhookTtid')) i.webhookTtid = req.body.get('WebhookTtid')!;
      return { status: 200, body: serializeInteraction(ctx, i) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v1/Interactions/:InteractionSid/Channels',
    sids: { InteractionSid: 'KD' },
    query: PAGE,
    handler: (req) => {
      const channels = [...interaction(req, 'InteractionSid').channels.values()];
      return listPage(req, channels, { key: 'channels', url: productUrl(ctx, P, req.twilioPath) }, (c) => serializeInteractionChannel(ctx, c));
    },
  });
  const ichannel = (req: ApiRequest): InteractionChannel =>
    found(req, interaction(req, 'InteractionSid').channels.get(req.params.Sid!));
  route(P, {
    method: 'GET',
    path: '/v1/Interactions/:InteractionSid/Channels/:Sid',
    sids: { InteractionSid: 'KD', Sid: 'UO' },
    handler: (req) => ({ status: 200, body: serializeInteractionChannel(ctx, ichannel(req)) }),
  });
  route(P, {
    method: 'POST',
    path: '/v1/Interactions/:InteractionSid/Channels/:Sid',
    sids: { InteractionSid: 'KD', Sid: 'UO' },
    body: { Status: 'enum:closed|inactive!', Routing: 'str' },
    handler: (req) => {
      const c = ichannel(req);
      objectParam(req.body, 'Routing', false);
      const status = req.body.get('Status')!.toLowerCase() as 'closed' | 'inactive';
      if (c.status !== 'closed') closeInteractionChannel(ctx, c, status);
      return { status: 200, body: serializeInteractionChannel(ctx, c) };
    },
  });
}
