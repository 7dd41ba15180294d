import { createChatChannel } from '../chat/channels.js';
import { addChatMember, ensureUser } from '../chat/members.js';
import { iso, productUrl, type Ctx } from '../context.js';
import { invalidParam, notFound } from '../errors.js';
import type { Params } from '../form.js';
import type { RouteTable } from '../http.js';
import { jsonAttributes } from '../json.js';
import { resourceRoutes, topLevelCollection } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { ChatChannel, FlexChannel, FlexFlow } from '../state.js';
import { checkAttributes, type ParamDecls } from '../validate.js';
import { P } from './product.js';

const CHANNEL_BODY: ParamDecls = {
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
};

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

/** Flex reuses the identity's open channel on the same Flex Flow. */
function openChannelOf(ctx: Ctx, flow: FlexFlow, identity: string): FlexChannel | undefined {
  for (const existing of ctx.store.flexChannels.values()) {
    if (existing.flexFlowSid !== flow.sid || existing.identity !== identity) continue;
    const ch = ctx.store.chatChannels.get(existing.sid);
    if (ch && (jsonAttributes(ch.attributes).status ?? 'ACTIVE') !== 'INACTIVE') return existing;
  }
  return undefined;
}

function chatChannelAttributes(b: Params, flow: FlexFlow): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    status: 'ACTIVE',
    long_lived: b.bool('LongLived') ?? flow.longLived,
    from: b.get('ChatUserFriendlyName'),
    channel_type: flow.channelType,
  };
  if (b.has('PreEngagementData')) attributes.pre_engagement_data = JSON.parse(b.get('PreEngagementData')!);
  if (b.has('Target')) attributes.target = b.get('Target');
  return attributes;
}

/** A Flex Flow with a studio integration runs its flow on the channel's first customer message. */
function addStudioWebhook(chat: ChatChannel, flow: FlexFlow, now: Date): void {
  if (flow.integrationType !== 'studio' || !flow.integration.flowSid) return;
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

/** A Flex chat channel (legacy): a Chat v2 channel with the same SID, a user and a member. */
function createFlexChannel(ctx: Ctx, b: Params): FlexChannel {
  const flow = ctx.store.flexFlows.get(b.get('FlexFlowSid')!);
  if (!flow) throw notFound(`/v1/FlexFlows/${b.get('FlexFlowSid')}`);
  if (!flow.enabled) throw invalidParam('FlexFlowSid', 'the Flex Flow is disabled');
  const identity = b.get('Identity')!;
  const reused = openChannelOf(ctx, flow, identity);
  if (reused) return reused;
  for (const name of ['PreEngagementData', 'TaskAttributes']) checkAttributes(b, name);
  const user = ensureUser(ctx, flow.chatServiceSid, identity, b.get('ChatUserFriendlyName'));
  const chat = createChatChannel(ctx, flow.chatServiceSid, {
    friendlyName: b.get('ChatFriendlyName'),
    uniqueName: b.get('ChatUniqueName'),
    attributes: JSON.stringify(chatChannelAttributes(b, flow)),
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
  ctx.store.flexChannels.set(fc.sid, fc);
  addChatMember(ctx, chat, { identity }, { source: 'API', webhookEnabled: false });
  addStudioWebhook(chat, flow, now);
  return fc;
}

export function registerFlexChannelRoutes(route: RouteTable, ctx: Ctx): void {
  const collection = topLevelCollection(P, '/v1/Channels', 'CH', ctx.store.flexChannels, (c) => serializeFlexChannel(ctx, c));
  const channels = resourceRoutes(route, ctx, collection);
  channels.create(CHANNEL_BODY, (req) => createFlexChannel(ctx, req.body));
  channels.list({ key: 'flex_chat_channels', items: (_req, all) => [...all.values()] });
  channels.fetch();
  channels.remove((_req, all, c) => {
    all.delete(c.sid);
    ctx.store.chatChannels.delete(c.sid);
  });
}
