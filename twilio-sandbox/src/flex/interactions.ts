import { safeErrorMessage } from '@custom-channels/logging';
import { productUrl, type Ctx } from '../context.js';
import { createConversationRecord, setConversationState } from '../conversations/lifecycle.js';
import { invalidParam } from '../errors.js';
import type { Params } from '../form.js';
import { found, type RouteTable } from '../http.js';
import { resourceRoutes, topLevelCollection } from '../resource-routes.js';
import { createConversationTask, createInteraction, type FlexRouting } from '../routing.js';
import type { Conversation, Interaction, InteractionChannel, Task, Workspace } from '../state.js';
import { P } from './product.js';

const CHANNEL_TYPES = ['voice', 'sms', 'email', 'web', 'whatsapp', 'chat', 'messenger', 'gbm'];

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

/** Closing an interaction channel: the conversation closes, open tasks end. */
export function closeInteractionChannel(ctx: Ctx, ch: InteractionChannel, status: 'closed' | 'inactive', taskStatus?: 'closed' | 'wrapup'): void {
  ch.status = status;
  const conv = ch.mediaChannelSid ? ctx.store.conversations.get(ch.mediaChannelSid) : undefined;
  const tasks = ctx.store.allTasks().filter((t) => taskInteractionChannel(t) === ch.sid);
  for (const t of tasks) endTask(t, (taskStatus ?? (status === 'closed' ? 'closed' : 'wrapup')) === 'closed');
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

/** A JSON-object parameter (`Channel`, `Routing`); anything else is Twilio's 400. */
export function objectParam(b: Params, name: string, required: boolean): Record<string, unknown> | undefined {
  const v = b.get(name);
  if (v === undefined) {
    if (required) throw invalidParam(name, 'missing');
    return undefined;
  }
  try {
    const parsed = JSON.parse(v) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // not JSON: the same answer as for JSON that is not an object
  }
  throw invalidParam(name, 'must be a JSON object');
}

/** The conversation `Channel.properties.media_channel_sid` names, if any; it must exist and be open. */
function mediaConversation(ctx: Ctx, props: Record<string, unknown>): Conversation | undefined {
  if (!props.media_channel_sid) return undefined;
  const conv = ctx.store.conversations.get(String(props.media_channel_sid));
  if (!conv) throw invalidParam('Channel', `conversation ${String(props.media_channel_sid)} not found`);
  if (conv.state === 'closed') throw invalidParam('Channel', 'the conversation is closed');
  return conv;
}

function routingAttributes(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Record<string, unknown>;
    } catch {
      throw invalidParam('Routing', 'properties.attributes must be JSON');
    }
  }
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** `Routing.properties` read into the task to create; the workspace and workflow must exist. */
export function readFlexRouting(ctx: Ctx, routing: Record<string, unknown>): FlexRouting {
  const props = (routing.properties ?? {}) as Record<string, unknown>;
  const workspaceSid = String(props.workspace_sid ?? '');
  const ws = ctx.store.workspaces.get(workspaceSid);
  if (!ws) throw invalidParam('Routing', `workspace '${workspaceSid}' not found`);
  const workflowSid = String(props.workflow_sid ?? '');
  if (!ws.workflows.has(workflowSid)) throw invalidParam('Routing', `workflow '${workflowSid}' not found`);
  return {
    workspaceSid,
    workflowSid,
    taskChannel: String(props.task_channel_unique_name ?? props.task_channel_sid ?? 'chat'),
    attributes: routingAttributes(props.attributes),
    priority: typeof props.priority === 'number' ? props.priority : undefined,
    timeout: typeof props.timeout === 'number' ? props.timeout : undefined,
    ...routingTarget(ws, props),
  };
}

/** `queue_sid` and `worker_sid` (as agent-initiated interactions and invites take them) must name this workspace's. */
function routingTarget(ws: Workspace, props: Record<string, unknown>): Pick<FlexRouting, 'queueSid' | 'workerSid'> {
  const queueSid = props.queue_sid === undefined ? undefined : String(props.queue_sid);
  if (queueSid !== undefined && !ws.taskQueues.has(queueSid)) throw invalidParam('Routing', `queue '${queueSid}' not found`);
  const workerSid = props.worker_sid === undefined ? undefined : String(props.worker_sid);
  if (workerSid !== undefined && !ws.workers.has(workerSid)) throw invalidParam('Routing', `worker '${workerSid}' not found`);
  return { queueSid, workerSid };
}

function createFlexInteraction(ctx: Ctx, b: Params): Interaction {
  const channel = objectParam(b, 'Channel', true)!;
  const routing = objectParam(b, 'Routing', false) ?? {};
  const type = String(channel.type ?? '');
  if (!CHANNEL_TYPES.includes(type)) throw invalidParam('Channel', `type '${type}' is not one of ${CHANNEL_TYPES.join(', ')}`);
  const found = mediaConversation(ctx, (channel.properties ?? {}) as Record<string, unknown>);
  const flexRouting = readFlexRouting(ctx, routing);
  const conv = found ?? createConversationRecord(ctx, ctx.store.configuration.defaultChatServiceSid, { friendlyName: null });
  const { interaction, channel: ich } = createInteraction(ctx, conv, channel, routing);
  if (b.has('InteractionContextSid')) interaction.interactionContextSid = b.get('InteractionContextSid')!;
  if (b.has('WebhookTtid')) interaction.webhookTtid = b.get('WebhookTtid')!;
  const initiatedBy = String(channel.initiated_by ?? 'customer');
  // Task creation is asynchronous, as in Flex: the Interaction answers first.
  ctx.scheduler.setTimeout(() => {
    try {
      createConversationTask(ctx, conv, flexRouting, interaction, ich, initiatedBy);
    } catch (err) {
      ctx.log('interaction: task creation failed', { error: safeErrorMessage(err) });
    }
  }, 5);
  return interaction;
}

export function registerInteractionRoutes(route: RouteTable, ctx: Ctx): void {
  // CreateInteraction answers 200, not 201 (Twilio's spec and docs).
  route(P, {
    method: 'POST',
    path: '/v1/Interactions',
    body: { Channel: 'str!', Routing: 'str', InteractionContextSid: 'sid:HQ', WebhookTtid: 'str' },
    handler: (req) => ({ status: 200, body: serializeInteraction(ctx, createFlexInteraction(ctx, req.body)) }),
  });
  const collection = topLevelCollection(P, '/v1/Interactions', 'KD', ctx.store.interactions, (i) => serializeInteraction(ctx, i));
  const interactions = resourceRoutes(route, ctx, collection);
  interactions.fetch();
  interactions.update({ WebhookTtid: 'str' }, (req, _all, i) => {
    if (req.body.has('WebhookTtid')) i.webhookTtid = req.body.get('WebhookTtid')!;
  });

  const channels = resourceRoutes(route, ctx, {
    product: P,
    path: '/v1/Interactions/:InteractionSid/Channels',
    sids: { InteractionSid: 'KD' },
    itemSid: 'UO',
    parent: (req) => found(req, ctx.store.interactions.get(req.params.InteractionSid!)),
    find: (i, sid) => i.channels.get(sid),
    serialize: (_i, c) => serializeInteractionChannel(ctx, c),
  });
  channels.list({ key: 'channels', items: (_req, i) => [...i.channels.values()] });
  channels.fetch();
  // `Routing.status` (`wrapup` or `closed`) is what the channel's tasks move to, as Flex's "End chat" sends it.
  channels.update({ Status: 'enum:closed|inactive!', Routing: 'str' }, (req, _i, c) => {
    const taskStatus = objectParam(req.body, 'Routing', false)?.status;
    if (taskStatus !== undefined && taskStatus !== 'wrapup' && taskStatus !== 'closed') throw invalidParam('Routing', 'status must be wrapup or closed');
    const status = req.body.get('Status')!.toLowerCase() as 'closed' | 'inactive';
    if (c.status !== 'closed') closeInteractionChannel(ctx, c, status, taskStatus);
  });
}
