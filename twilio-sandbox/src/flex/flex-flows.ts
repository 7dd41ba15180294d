import { iso, productUrl, type Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import { assignText } from '../fields.js';
import type { Params } from '../form.js';
import type { RouteTable } from '../http.js';
import { resourceRoutes, topLevelCollection } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { FlexFlow } from '../state.js';
import type { ParamDecls } from '../validate.js';
import { P } from './product.js';

const CHANNEL_TYPES = 'enum:web|sms|facebook|whatsapp|line|custom';
const FLEX_FLOW_BODY: ParamDecls = {
  FriendlyName: 'str',
  ChatServiceSid: 'sid:IS',
  ChannelType: CHANNEL_TYPES,
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

function serializeIntegration(i: FlexFlow['integration']): Record<string, unknown> {
  const integration: Record<string, unknown> = {};
  if (i.flowSid) integration.flow_sid = i.flowSid;
  if (i.url) integration.url = i.url;
  if (i.workspaceSid) integration.workspace_sid = i.workspaceSid;
  if (i.workflowSid) integration.workflow_sid = i.workflowSid;
  if (i.channel) integration.channel = i.channel;
  if (i.timeout !== undefined) integration.timeout = i.timeout;
  if (i.priority !== undefined) integration.priority = i.priority;
  if (i.creationOnMessage !== undefined) integration.creation_on_message = i.creationOnMessage;
  integration.retry_count = i.retryCount ?? 0;
  return integration;
}

function serializeFlexFlow(ctx: Ctx, f: FlexFlow) {
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
    integration: serializeIntegration(f.integration),
    long_lived: f.longLived,
    janitor_enabled: f.janitorEnabled,
    url: productUrl(ctx, P, `/v1/FlexFlows/${f.sid}`),
  };
}

function applyIntegration(i: FlexFlow['integration'], b: Params): void {
  assignText(b, i, {
    'Integration.FlowSid': 'flowSid',
    'Integration.Url': 'url',
    'Integration.WorkspaceSid': 'workspaceSid',
    'Integration.WorkflowSid': 'workflowSid',
    'Integration.Channel': 'channel',
  });
  if (b.has('Integration.Timeout')) i.timeout = b.int('Integration.Timeout')!;
  if (b.has('Integration.Priority')) i.priority = b.int('Integration.Priority')!;
  if (b.has('Integration.CreationOnMessage')) i.creationOnMessage = b.bool('Integration.CreationOnMessage')!;
  if (b.has('Integration.RetryCount')) i.retryCount = b.int('Integration.RetryCount')!;
}

function applyFlexFlow(f: FlexFlow, b: Params): void {
  assignText(b, f, {
    FriendlyName: 'friendlyName',
    ChatServiceSid: 'chatServiceSid',
    ContactIdentity: 'contactIdentity',
  });
  if (b.has('ChannelType')) f.channelType = b.get('ChannelType')!.toLowerCase();
  if (b.has('Enabled')) f.enabled = b.bool('Enabled')!;
  if (b.has('IntegrationType')) f.integrationType = b.get('IntegrationType')!.toLowerCase() as FlexFlow['integrationType'];
  applyIntegration(f.integration, b);
  if (b.has('LongLived')) f.longLived = b.bool('LongLived')!;
  if (b.has('JanitorEnabled')) f.janitorEnabled = b.bool('JanitorEnabled')!;
  f.dateUpdated = new Date();
}

/** Each integration type needs its own settings. */
function assertIntegrationComplete(f: FlexFlow): void {
  const i = f.integration;
  if (f.integrationType === 'studio' && !i.flowSid) throw invalidParam('Integration.FlowSid', 'required for studio integration');
  if (f.integrationType === 'task' && (!i.workspaceSid || !i.workflowSid)) {
    throw invalidParam('Integration.WorkspaceSid', 'Integration.WorkspaceSid and Integration.WorkflowSid are required for task integration');
  }
  if (f.integrationType === 'external' && !i.url) throw invalidParam('Integration.Url', 'required for external integration');
}

function createFlexFlow(ctx: Ctx, b: Params): FlexFlow {
  if (!ctx.store.chatServices.has(b.get('ChatServiceSid')!)) throw invalidParam('ChatServiceSid', 'chat service not found');
  const name = b.get('FriendlyName')!;
  if ([...ctx.store.flexFlows.values()].some((f) => f.friendlyName === name)) {
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
  assertIntegrationComplete(f);
  ctx.store.flexFlows.set(f.sid, f);
  return f;
}

export function registerFlexFlowRoutes(route: RouteTable, ctx: Ctx): void {
  const collection = topLevelCollection(P, '/v1/FlexFlows', 'FO', ctx.store.flexFlows, (f) => serializeFlexFlow(ctx, f));
  const flexFlows = resourceRoutes(route, ctx, collection);
  const required = { FriendlyName: 'str!', ChatServiceSid: 'sid:IS!', ChannelType: `${CHANNEL_TYPES}!` };
  flexFlows.create({ ...FLEX_FLOW_BODY, ...required }, (req) => createFlexFlow(ctx, req.body));
  flexFlows.list({
    key: 'flex_flows',
    query: { FriendlyName: 'str' },
    items: (req, all) => {
      const name = req.query.get('FriendlyName');
      return [...all.values()].filter((f) => !name || f.friendlyName === name);
    },
  });
  flexFlows.fetch();
  flexFlows.update(FLEX_FLOW_BODY, (req, _all, f) => applyFlexFlow(f, req.body));
  flexFlows.remove((_req, all, f) => {
    all.delete(f.sid);
  });
}
