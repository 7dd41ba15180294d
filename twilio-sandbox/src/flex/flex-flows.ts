import { iso, productUrl, type Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import type { Params } from '../form.js';
import type { RouteTable } from '../http.js';
import { resourceRoutes, topLevelCollection } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { FlexFlow } from '../state.js';
import { P } from './product.js';

/**
 * Flex Flows of the original custom-chat pattern, kept only so that an account can be seeded
 * with one (setup reports it): list and create, without the Programmable Chat channels they made.
 */

const CHANNEL_TYPES = 'enum:web|sms|facebook|whatsapp|line|custom';

function serializeFlexFlow(ctx: Ctx, f: FlexFlow) {
  const { flowSid, workspaceSid, workflowSid, channel } = f.integration;
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
    integration: {
      ...(flowSid ? { flow_sid: flowSid } : {}),
      ...(workspaceSid ? { workspace_sid: workspaceSid } : {}),
      ...(workflowSid ? { workflow_sid: workflowSid } : {}),
      ...(channel ? { channel } : {}),
      retry_count: 0,
    },
    long_lived: false,
    janitor_enabled: false,
    url: productUrl(ctx, P, `/v1/FlexFlows/${f.sid}`),
  };
}

function createFlexFlow(ctx: Ctx, b: Params): FlexFlow {
  const name = b.get('FriendlyName')!;
  if ([...ctx.store.flexFlows.values()].some((f) => f.friendlyName === name)) {
    throw invalidParam('FriendlyName', 'a Flex Flow with this friendly name already exists');
  }
  const integrationType = (b.get('IntegrationType')?.toLowerCase() ?? null) as FlexFlow['integrationType'];
  const integration = {
    flowSid: b.get('Integration.FlowSid'),
    url: b.get('Integration.Url'),
    workspaceSid: b.get('Integration.WorkspaceSid'),
    workflowSid: b.get('Integration.WorkflowSid'),
    channel: b.get('Integration.Channel'),
  };
  // Each integration type needs its own settings.
  if (integrationType === 'studio' && !integration.flowSid) throw invalidParam('Integration.FlowSid', 'required for studio integration');
  if (integrationType === 'task' && (!integration.workspaceSid || !integration.workflowSid)) {
    throw invalidParam('Integration.WorkspaceSid', 'Integration.WorkspaceSid and Integration.WorkflowSid are required for task integration');
  }
  if (integrationType === 'external' && !integration.url) throw invalidParam('Integration.Url', 'required for external integration');
  const now = new Date();
  const f: FlexFlow = {
    sid: newSid('FO'),
    friendlyName: name,
    chatServiceSid: b.get('ChatServiceSid')!,
    channelType: b.get('ChannelType')!.toLowerCase(),
    contactIdentity: b.get('ContactIdentity') ?? null,
    enabled: b.bool('Enabled') ?? true,
    integrationType,
    integration,
    dateCreated: now,
    dateUpdated: now,
  };
  ctx.store.flexFlows.set(f.sid, f);
  return f;
}

export function registerFlexFlowRoutes(route: RouteTable, ctx: Ctx): void {
  const collection = topLevelCollection(P, '/v1/FlexFlows', 'FO', ctx.store.flexFlows, (f) => serializeFlexFlow(ctx, f));
  const flexFlows = resourceRoutes(route, ctx, collection);
  flexFlows.create(
    {
      FriendlyName: 'str!',
      ChatServiceSid: 'sid:IS!',
      ChannelType: `${CHANNEL_TYPES}!`,
      ContactIdentity: 'str',
      Enabled: 'bool',
      IntegrationType: 'enum:studio|external|task',
      'Integration.FlowSid': 'sid:FW',
      'Integration.Url': 'uri',
      'Integration.WorkspaceSid': 'sid:WS',
      'Integration.WorkflowSid': 'sid:WW',
      'Integration.Channel': 'str',
    },
    (req) => createFlexFlow(ctx, req.body),
  );
  flexFlows.list({
    key: 'flex_flows',
    query: { FriendlyName: 'str' },
    items: (req, all) => {
      const name = req.query.get('FriendlyName');
      return [...all.values()].filter((f) => !name || f.friendlyName === name);
    },
  });
}
