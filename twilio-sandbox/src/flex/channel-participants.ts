import { productUrl, type Ctx } from '../context.js';
import { removeParticipant } from '../conversations/participants.js';
import { invalidParam } from '../errors.js';
import type { EventOrigin } from '../event-origin.js';
import type { RouteTable } from '../http.js';
import { childRoutes } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { InteractionChannel, InteractionParticipant, InteractionParticipantType, Task } from '../state.js';
import { objectParam } from './interactions.js';
import { interactionChannelPath, postToChannel } from './interaction-channel-path.js';
import { P } from './product.js';

const TYPES: InteractionParticipantType[] = ['supervisor', 'customer', 'external', 'agent', 'unknown'];
const FLEX_BACKEND: EventOrigin = { source: 'API', webhookEnabled: true };

export function serializeChannelParticipant(ctx: Ctx, ch: InteractionChannel, p: InteractionParticipant) {
  return {
    sid: p.sid,
    type: p.type,
    interaction_sid: ch.interactionSid,
    channel_sid: ch.sid,
    url: productUrl(ctx, P, `/v1/Interactions/${ch.interactionSid}/Channels/${ch.sid}/Participants/${p.sid}`),
    routing_properties: p.routingProperties,
  };
}

export function addChannelParticipant(
  ch: InteractionChannel,
  type: InteractionParticipantType,
  mediaProperties: Record<string, unknown>,
  routingProperties: Record<string, unknown> | null = null,
): InteractionParticipant {
  const p: InteractionParticipant = { sid: newSid('UT'), type, status: 'active', mediaProperties, routingProperties };
  ch.participants.set(p.sid, p);
  return p;
}

/** The agent participant whose routing properties name the task. */
export function participantOfTask(ch: InteractionChannel, taskSid: string): InteractionParticipant | undefined {
  return [...ch.participants.values()].find((p) => p.routingProperties?.task_sid === taskSid);
}

/**
 * An agent's participant to `wrapup` or `closed`: the agent leaves the conversation and the
 * task moves to wrapping or completed; the conversation stays open for whoever comes next.
 */
export function setChannelParticipantStatus(ctx: Ctx, ch: InteractionChannel, p: InteractionParticipant, status: 'wrapup' | 'closed'): void {
  p.status = status;
  const taskSid = p.routingProperties?.task_sid;
  const task = typeof taskSid === 'string' ? ctx.store.allTasks().find((t) => t.sid === taskSid) : undefined;
  if (!task) return;
  leaveConversation(ctx, ch, task);
  if (task.assignmentStatus === 'assigned' || task.assignmentStatus === 'wrapping') {
    task.assignmentStatus = status === 'wrapup' ? 'wrapping' : 'completed';
    task.reason = status === 'wrapup' ? null : 'participant closed';
    task.dateUpdated = new Date();
  }
}

function leaveConversation(ctx: Ctx, ch: InteractionChannel, task: Task): void {
  const conv = ch.mediaChannelSid ? ctx.store.conversations.get(ch.mediaChannelSid) : undefined;
  const member = conv && task.agentParticipantSid ? conv.participants.get(task.agentParticipantSid) : undefined;
  if (conv && member && conv.state !== 'closed') removeParticipant(ctx, conv, member, FLEX_BACKEND);
}

export function registerChannelParticipantRoutes(route: RouteTable, ctx: Ctx): void {
  const participants = childRoutes(route, ctx, interactionChannelPath(ctx), 'Participants', {
    itemSid: 'UT',
    find: (ch, sid) => ch.participants.get(sid),
    serialize: (ch, p) => serializeChannelParticipant(ctx, ch, p),
  });
  participants.list({ key: 'participants', items: (_req, ch) => [...ch.participants.values()] });
  postToChannel(route, ctx, 'Participants', {
    status: 200,
    body: { Type: 'str!', MediaProperties: 'str!', RoutingProperties: 'str' },
    answer: (req, { channel }) => {
      const type = req.body.get('Type') as InteractionParticipantType;
      if (!TYPES.includes(type)) throw invalidParam('Type', `'${type}' is not one of ${TYPES.join(', ')}`);
      const p = addChannelParticipant(
        channel,
        type,
        objectParam(req.body, 'MediaProperties', true)!,
        objectParam(req.body, 'RoutingProperties', false) ?? null,
      );
      return serializeChannelParticipant(ctx, channel, p);
    },
  });
  participants.update({ Status: 'enum:closed|wrapup!' }, (req, ch, p) => {
    setChannelParticipantStatus(ctx, ch, p, req.body.get('Status')!.toLowerCase() as 'wrapup' | 'closed');
  });
}
