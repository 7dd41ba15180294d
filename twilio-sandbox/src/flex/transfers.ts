import { iso, productUrl, type Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import type { RouteTable } from '../http.js';
import { jsonObject } from '../json.js';
import { childRoutes } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { Interaction, InteractionChannel, InteractionTransfer, Task } from '../state.js';
import { setChannelParticipantStatus } from './channel-participants.js';
import { interactionChannelPath, postToChannel } from './interaction-channel-path.js';
import { inviteToChannel } from './invites.js';
import { P } from './product.js';

export interface TransferRequest {
  /** The transferring agent's participant (UT). */
  from: string;
  /** A worker (WK) or a queue (WQ). */
  to: string;
  type: 'warm' | 'cold';
}

function serializeTransfer(ctx: Ctx, ch: InteractionChannel, x: InteractionTransfer) {
  return {
    sid: x.sid,
    instance_sid: null,
    account_sid: ctx.accountSid,
    interaction_sid: ch.interactionSid,
    channel_sid: ch.sid,
    execution_sid: null,
    type: x.type,
    status: x.status,
    from: x.from,
    to: x.to,
    note_sid: null,
    summary_sid: null,
    date_created: iso(x.dateCreated),
    date_updated: iso(x.dateUpdated),
    url: productUrl(ctx, P, `/v1/Interactions/${ch.interactionSid}/Channels/${ch.sid}/Transfers/${x.sid}`),
  };
}

/** The body of a Transfers create: the spec leaves it open; the resource's own fields name what is asked. */
export function readTransferRequest(json: Record<string, unknown>): TransferRequest {
  const { from, to, type } = json;
  if (typeof from !== 'string' || !/^UT[0-9a-f]{32}$/i.test(from)) throw invalidParam('from', 'must be the transferring agent participant (UT...)');
  if (typeof to !== 'string' || !/^(WK|WQ)[0-9a-f]{32}$/i.test(to)) throw invalidParam('to', 'must be a worker (WK...) or a queue (WQ...)');
  if (type !== 'warm' && type !== 'cold') throw invalidParam('type', 'must be warm or cold');
  return { from, to, type };
}

/** The attributes of the new task: every one of the first task's, plus what tells it is a transfer. */
export function transferredAttributes(original: Task, to: string, mode: 'warm' | 'cold'): Record<string, unknown> {
  return {
    ...jsonObject(original.attributes),
    transferTargetType: to.startsWith('WK') ? 'worker' : 'queue',
    transferTargetSid: to,
    transferMeta: { originalTask: original.sid, originalWorker: original.workerSid, mode: mode.toUpperCase() },
  };
}

/**
 * A transfer as Flex runs it: an invite routes a new task (same conversation, same attributes)
 * to the worker or queue; a cold transfer puts the first agent into wrap-up at once, a warm one
 * when the second agent accepts.
 */
export function transferChannel(
  ctx: Ctx,
  interaction: Interaction,
  ch: InteractionChannel,
  req: TransferRequest,
): { transfer: InteractionTransfer; task: Task } {
  const from = ch.participants.get(req.from);
  if (!from || from.type !== 'agent' || from.status !== 'active') throw invalidParam('from', `${req.from} is not an active agent of this channel`);
  const original = ctx.store.allTasks().find((t) => t.sid === from.routingProperties?.task_sid);
  if (!original || original.assignmentStatus !== 'assigned') throw invalidParam('from', `the task of ${req.from} is not assigned`);
  const routing = {
    properties: {
      workspace_sid: original.workspaceSid,
      workflow_sid: original.workflowSid,
      task_channel_unique_name: original.taskChannelUniqueName,
      attributes: transferredAttributes(original, req.to, req.type),
      ...(req.to.startsWith('WK') ? { worker_sid: req.to } : { queue_sid: req.to }),
    },
  };
  const { task } = inviteToChannel(ctx, interaction, ch, routing);
  task.transferredFrom = original.sid;
  const now = new Date();
  const transfer: InteractionTransfer = {
    sid: newSid('UX'),
    type: req.type,
    status: 'active',
    from: from.sid,
    to: req.to,
    taskSid: task.sid,
    dateCreated: now,
    dateUpdated: now,
  };
  ch.transfers.set(transfer.sid, transfer);
  if (req.type === 'cold') setChannelParticipantStatus(ctx, ch, from, 'wrapup');
  return { transfer, task };
}

function transferOfTask(ctx: Ctx, taskSid: string): { ch: InteractionChannel; transfer: InteractionTransfer } | undefined {
  for (const interaction of ctx.store.interactions.values()) {
    for (const ch of interaction.channels.values()) {
      const transfer = [...ch.transfers.values()].find((x) => x.taskSid === taskSid);
      if (transfer) return { ch, transfer };
    }
  }
  return undefined;
}

/** The second agent accepted: the transfer completes; after a warm one the first agent leaves now. */
export function completeTransferOf(ctx: Ctx, task: Task): void {
  const found = transferOfTask(ctx, task.sid);
  if (!found || found.transfer.status !== 'active') return;
  found.transfer.status = 'completed';
  found.transfer.dateUpdated = new Date();
  const from = found.ch.participants.get(found.transfer.from);
  if (found.transfer.type === 'warm' && from?.status === 'active') setChannelParticipantStatus(ctx, found.ch, from, 'wrapup');
}

/** The transfer's task was rejected or canceled: the transfer failed (a warm one leaves the first agent in charge). */
export function failTransferOf(ctx: Ctx, task: Task): void {
  const found = transferOfTask(ctx, task.sid);
  if (!found || found.transfer.status !== 'active') return;
  found.transfer.status = 'failed';
  found.transfer.dateUpdated = new Date();
}

export function registerTransferRoutes(route: RouteTable, ctx: Ctx): void {
  postToChannel(route, ctx, 'Transfers', {
    status: 201,
    answer: (req, { interaction, channel }) =>
      serializeTransfer(ctx, channel, transferChannel(ctx, interaction, channel, readTransferRequest(req.json)).transfer),
  });
  const transfers = childRoutes(route, ctx, interactionChannelPath(ctx), 'Transfers', {
    itemSid: 'UX',
    find: (ch, sid) => ch.transfers.get(sid),
    serialize: (ch, x) => serializeTransfer(ctx, ch, x),
  });
  transfers.fetch();
  // The update's body is open in the spec; the stand-in answers with the transfer as it is.
  transfers.update({}, () => undefined);
}
