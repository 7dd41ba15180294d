import { productUrl, type Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import type { RouteTable } from '../http.js';
import { childRoutes } from '../resource-routes.js';
import { createConversationTask } from '../routing.js';
import { newSid } from '../sids.js';
import type { Interaction, InteractionChannel, InteractionInvite, Task } from '../state.js';
import { interactionChannelPath, postToChannel } from './interaction-channel-path.js';
import { objectParam, readFlexRouting } from './interactions.js';
import { P } from './product.js';

export function serializeInvite(ctx: Ctx, ch: InteractionChannel, i: InteractionInvite) {
  return {
    sid: i.sid,
    interaction_sid: ch.interactionSid,
    channel_sid: ch.sid,
    routing: i.routing,
    url: productUrl(ctx, P, `/v1/Interactions/${ch.interactionSid}/Channels/${ch.sid}/Invites/${i.sid}`),
  };
}

/** An invite routes a new task to the same conversation, with the attributes the routing gives: a transfer's second leg. */
export function inviteToChannel(
  ctx: Ctx,
  interaction: Interaction,
  ch: InteractionChannel,
  routing: Record<string, unknown>,
): { invite: InteractionInvite; task: Task } {
  if (ch.status === 'closed') throw invalidParam('Routing', 'the interaction channel is closed');
  const conv = ch.mediaChannelSid ? ctx.store.conversations.get(ch.mediaChannelSid) : undefined;
  if (!conv) throw invalidParam('Routing', 'the interaction channel has no open conversation');
  const task = createConversationTask(ctx, conv, readFlexRouting(ctx, routing), interaction, ch);
  const invite: InteractionInvite = { sid: newSid('KG'), routing, taskSid: task.sid };
  ch.invites.set(invite.sid, invite);
  return { invite, task };
}

export function registerInviteRoutes(route: RouteTable, ctx: Ctx): void {
  // Invites answer 200, as CreateInteraction does (Twilio's spec).
  postToChannel(route, ctx, 'Invites', {
    status: 200,
    body: { Routing: 'str!' },
    answer: (req, { interaction, channel }) =>
      serializeInvite(ctx, channel, inviteToChannel(ctx, interaction, channel, objectParam(req.body, 'Routing', true)!).invite),
  });
  const invites = childRoutes(route, ctx, interactionChannelPath(ctx), 'Invites', {
    itemSid: 'KG',
    find: (ch, sid) => ch.invites.get(sid),
    serialize: (ch, i) => serializeInvite(ctx, ch, i),
  });
  invites.list({ key: 'invites', items: (_req, ch) => [...ch.invites.values()] });
}
