import type { Ctx } from '../context.js';
import { addChannelParticipant } from '../flex/channel-participants.js';
import { completeTransferOf } from '../flex/transfers.js';
import { jsonObject } from '../json.js';
import { newSid } from '../sids.js';
import type { InteractionChannel, Task } from '../state.js';

/** The interaction channel a conversation task was routed on, if any. */
export function interactionChannelOf(ctx: Ctx, t: Task): InteractionChannel | undefined {
  const { flexInteractionSid, flexInteractionChannelSid } = jsonObject(t.attributes);
  if (typeof flexInteractionSid !== 'string' || typeof flexInteractionChannelSid !== 'string') return undefined;
  return ctx.store.interactions.get(flexInteractionSid)?.channels.get(flexInteractionChannelSid);
}

/** After an accept: the agent is on the interaction channel, and a transfer to this task is done. */
export function afterAccept(ctx: Ctx, t: Task): void {
  const ch = interactionChannelOf(ctx, t);
  if (ch) {
    addChannelParticipant(ch, 'agent', { identity: t.agent }, { task_sid: t.sid, worker_sid: t.workerSid, reservation_sid: newSid('WR') });
    completeTransferOf(ctx, t);
  } else if (t.transferredFrom) {
    finishWarmTransfer(ctx, t);
  }
}

/** A conversation routed without an interaction (Studio): after a warm transfer the first task waits in wrap-up when the second is accepted. */
function finishWarmTransfer(ctx: Ctx, t: Task): void {
  const meta = jsonObject(t.attributes).transferMeta as { mode?: string } | undefined;
  const original = ctx.store.allTasks().find((o) => o.sid === t.transferredFrom);
  if (meta?.mode !== 'WARM' || original?.assignmentStatus !== 'assigned') return;
  original.assignmentStatus = 'wrapping';
  original.dateUpdated = new Date();
}
