import { iso, type Ctx } from '../context.js';
import { updateParticipantReadHorizon } from '../conversations/participants.js';
import type { EventOrigin } from '../event-origin.js';
import { participantOfTask } from '../flex/channel-participants.js';
import { closeInteractionChannel } from '../flex/interactions.js';
import { failTransferOf, transferChannel, transferredAttributes } from '../flex/transfers.js';
import { createTask } from '../routing.js';
import type { Task } from '../state.js';
import { controlError, endAgentSession, taskConversation } from './agent.js';
import { interactionChannelOf } from './handover.js';
import { findWorker } from './workers.js';

export type TransferMode = 'COLD' | 'WARM';

/** The agent passes the chat on to a worker or a queue; returns the new task. */
export function transferTask(ctx: Ctx, t: Task, targetSid: string, mode: TransferMode): Task {
  if (t.assignmentStatus !== 'assigned') throw controlError(409, `Task ${t.sid} is ${t.assignmentStatus}; only an assigned task can be transferred`);
  const ws = ctx.store.workspaces.get(t.workspaceSid)!;
  if (!ws.workers.has(targetSid) && !ws.taskQueues.has(targetSid))
    throw controlError(400, `targetSid ${targetSid} is neither a worker nor a queue of the workspace`);
  if (targetSid === t.workerSid) throw controlError(400, 'a task cannot be transferred to the agent who has it');
  const ch = interactionChannelOf(ctx, t);
  if (ch) {
    const from = participantOfTask(ch, t.sid);
    if (!from) throw controlError(409, `Task ${t.sid} has no agent on its interaction channel`);
    const interaction = ctx.store.interactions.get(ch.interactionSid)!;
    return transferChannel(ctx, interaction, ch, { from: from.sid, to: targetSid, type: mode === 'WARM' ? 'warm' : 'cold' }).task;
  }
  return transferWithoutInteraction(ctx, t, targetSid, mode);
}

/** A conversation routed without an interaction (Studio): a new task with the same attributes, as Flex's chat transfers make one. */
function transferWithoutInteraction(ctx: Ctx, t: Task, targetSid: string, mode: TransferMode): Task {
  const attributes = transferredAttributes(t, targetSid, mode === 'WARM' ? 'warm' : 'cold');
  const next = createTask(ctx, ctx.store.workspaces.get(t.workspaceSid)!, {
    workflowSid: t.workflowSid ?? undefined,
    taskChannel: t.taskChannelUniqueName,
    attributes: JSON.stringify(attributes),
    priority: t.priority,
    ...(targetSid.startsWith('WK') ? { routingTarget: targetSid } : { taskQueueSid: targetSid }),
  });
  next.transferredFrom = t.sid;
  if (mode === 'COLD') {
    t.assignmentStatus = 'wrapping';
    t.dateUpdated = new Date();
  }
  return next;
}

/** The agent declines the reservation: back to pending, or canceled when the task was routed to that worker only. */
export function rejectTask(ctx: Ctx, t: Task, agentName: string): void {
  if (t.assignmentStatus !== 'pending' && t.assignmentStatus !== 'reserved')
    throw controlError(409, `Task ${t.sid} is ${t.assignmentStatus}; only a pending task can be rejected`);
  const worker = findWorker(ctx, t.workspaceSid, agentName);
  t.dateUpdated = new Date();
  if (t.routingTarget && t.routingTarget === worker?.sid) {
    t.assignmentStatus = 'canceled';
    t.reason = 'rejected by the worker it was routed to';
    failTransferOf(ctx, t);
    return;
  }
  t.assignmentStatus = 'pending';
}

/** Flex's "End chat": the chat ends for the customer (unless a transfer is under way) and the task waits in wrap-up. */
export function wrapupTask(ctx: Ctx, t: Task): void {
  if (t.assignmentStatus !== 'assigned') throw controlError(409, `Task ${t.sid} is ${t.assignmentStatus}; only an assigned task can be wrapped up`);
  const ch = interactionChannelOf(ctx, t);
  const others = ctx.store
    .allTasks()
    .some((o) => o.sid !== t.sid && o.transferredFrom === t.sid && ['pending', 'reserved', 'assigned'].includes(o.assignmentStatus));
  if (ch && ch.status !== 'closed' && !others) closeInteractionChannel(ctx, ch, 'closed', 'wrapup');
  else endAgentSession(ctx, t);
  t.assignmentStatus = 'wrapping';
  t.dateUpdated = new Date();
}

/** The agent has read the conversation up to its last message, as Flex's SDK reports it. */
export function readAsAgent(ctx: Ctx, t: Task): { lastReadMessageIndex: number | null } {
  if (t.assignmentStatus !== 'assigned') throw controlError(409, `Task ${t.sid} is ${t.assignmentStatus}; accept it first`);
  const conv = taskConversation(ctx, t);
  const sdk: EventOrigin = { source: 'SDK', webhookEnabled: true, clientIdentity: t.agent ?? 'agent' };
  const p = t.agentParticipantSid ? conv.participants.get(t.agentParticipantSid) : undefined;
  if (!p) throw controlError(409, `The agent of task ${t.sid} is not in the conversation`);
  const last = conv.messages.at(-1)?.index ?? null;
  if (last !== null && last !== p.lastReadMessageIndex) updateParticipantReadHorizon(ctx, conv, p, last, iso(new Date())!, sdk);
  return { lastReadMessageIndex: p.lastReadMessageIndex };
}
