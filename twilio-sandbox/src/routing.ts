import type { Ctx } from './context.js';
import { invalidParam, notFound } from './errors.js';
import { newSid } from './sids.js';
import type { Conversation, Interaction, InteractionChannel, Task, TaskChannel, Workspace } from './state.js';

export function findTaskChannel(ws: Workspace, sidOrUniqueName: string): TaskChannel | undefined {
  return ws.taskChannels.get(sidOrUniqueName) ?? [...ws.taskChannels.values()].find((t) => t.uniqueName === sidOrUniqueName);
}

export interface TaskInput {
  workflowSid?: string;
  taskChannel?: string;
  attributes?: string;
  priority?: number;
  timeout?: number;
  taskQueueSid?: string;
  routingTarget?: string;
}

/** Creates a TaskRouter task (assignment status `pending`), as the workflow would queue it. */
export function createTask(ctx: Ctx, ws: Workspace, input: TaskInput): Task {
  const workflow = input.workflowSid ? ws.workflows.get(input.workflowSid) : undefined;
  if (input.workflowSid && !workflow) throw invalidParam('WorkflowSid', `workflow ${input.workflowSid} not found`);
  const channel = findTaskChannel(ws, input.taskChannel ?? 'default');
  if (!channel) throw invalidParam('TaskChannel', `task channel ${input.taskChannel} not found`);
  let queueSid: string | null = input.taskQueueSid ?? null;
  if (!queueSid && workflow) {
    try {
      const config = JSON.parse(workflow.configuration) as { task_routing?: { default_filter?: { queue?: string } } };
      queueSid = config.task_routing?.default_filter?.queue ?? null;
    } catch {
      queueSid = null;
    }
  }
  const queue = queueSid ? ws.taskQueues.get(queueSid) : undefined;
  const now = new Date();
  const task: Task = {
    sid: newSid('WT'),
    workspaceSid: ws.sid,
    workflowSid: workflow?.sid ?? null,
    workflowFriendlyName: workflow?.friendlyName ?? null,
    taskQueueSid: queue?.sid ?? null,
    taskQueueFriendlyName: queue?.friendlyName ?? null,
    taskChannelSid: channel.sid,
    taskChannelUniqueName: channel.uniqueName,
    attributes: input.attributes ?? '{}',
    assignmentStatus: 'pending',
    priority: input.priority ?? 0,
    timeout: input.timeout ?? 86400,
    reason: null,
    routingTarget: input.routingTarget ?? null,
    agent: null,
    agentParticipantSid: null,
    workerSid: null,
    transferredFrom: null,
    dateCreated: now,
    dateUpdated: now,
    virtualStartTime: now,
  };
  ws.tasks.set(task.sid, task);
  ctx.log('task created', { taskSid: task.sid, channel: channel.uniqueName });
  return task;
}

export interface FlexRouting {
  workspaceSid: string;
  workflowSid: string;
  taskChannel: string;
  attributes: Record<string, unknown>;
  priority?: number;
  timeout?: number;
  queueSid?: string;
  /** Only this worker may accept the task. */
  workerSid?: string;
}

/** Creates the Flex Interaction (KD) and its channel (UO) for a conversation. */
export function createInteraction(
  ctx: Ctx,
  conv: Conversation,
  channel: Record<string, unknown>,
  routing: Record<string, unknown>,
): { interaction: Interaction; channel: InteractionChannel } {
  const interaction: Interaction = {
    sid: newSid('KD'),
    channel: {},
    routing,
    interactionContextSid: null,
    webhookTtid: `flex_interactionwebhook_${newSid('').slice(0, 26)}`,
    channels: new Map(),
  };
  const ch: InteractionChannel = {
    sid: newSid('UO'),
    interactionSid: interaction.sid,
    type: String(channel.type ?? 'chat'),
    status: 'active',
    mediaChannelSid: conv.sid,
    errorCode: null,
    errorMessage: null,
    participants: new Map(),
    invites: new Map(),
    transfers: new Map(),
  };
  // The customer is the channel's first participant, as Flex lists it.
  const customer = {
    sid: newSid('UT'),
    type: 'customer' as const,
    status: 'active' as const,
    mediaProperties: { conversation_sid: conv.sid },
    routingProperties: null,
  };
  ch.participants.set(customer.sid, customer);
  interaction.channel = { ...channel, sid: ch.sid };
  interaction.channels.set(ch.sid, ch);
  ctx.store.interactions.set(interaction.sid, interaction);
  return { interaction, channel: ch };
}

/**
 * Creates the task Flex creates for a conversation routed through an Interaction: the
 * routing attributes plus conversationSid, flexInteractionSid, flexInteractionChannelSid and
 * the fields Flex adds (direction, initiatedBy, conversations.*).
 */
export function createConversationTask(
  ctx: Ctx,
  conv: Conversation,
  routing: FlexRouting,
  interaction: Interaction,
  channel: InteractionChannel,
  initiatedBy = 'customer',
): Task {
  const ws = ctx.store.workspaces.get(routing.workspaceSid);
  if (!ws) throw notFound(`/v1/Workspaces/${routing.workspaceSid}`);
  const given = routing.attributes;
  const conversations = (typeof given.conversations === 'object' && given.conversations) || {};
  const attributes = {
    channelType: channel.type,
    ...given,
    conversationSid: conv.sid,
    flexInteractionSid: interaction.sid,
    flexInteractionChannelSid: channel.sid,
    // Flex reports an agent-initiated interaction's task as outbound.
    direction: initiatedBy === 'agent' ? 'outbound' : 'inbound',
    initiatedBy,
    conversations: {
      ...(conversations as Record<string, unknown>),
      initiated_by: initiatedBy,
      // Routing attributes reach the task as given: a conversation id set there is kept.
      conversation_id: (conversations as Record<string, unknown>).conversation_id ?? interaction.sid,
      media: [{ type: 'ChatTranscript', sid: conv.sid }],
    },
  };
  return createTask(ctx, ws, {
    workflowSid: routing.workflowSid,
    taskChannel: routing.taskChannel,
    attributes: JSON.stringify(attributes),
    priority: routing.priority,
    timeout: routing.timeout,
    taskQueueSid: routing.queueSid,
    routingTarget: routing.workerSid,
  });
}
