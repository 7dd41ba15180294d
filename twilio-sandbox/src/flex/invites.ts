import { productUrl, type Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import { found, type ApiRequest, type RouteTable } from '../http.js';
import { resourceRoutes } from '../resource-routes.js';
import { createConversationTask } from '../routing.js';
import { newSid } from '../sids.js';
import type { Interaction, InteractionChannel, InteractionInvite, Task } from '../state.js';
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

/** The interaction and channel a request's path names (or Twilio's 404). */
export function channelOf(ctx: Ctx, req: ApiRequest): { interaction: Interaction; channel: InteractionChannel } {
  const interaction = found(req, ctx.store.interactions.get(req.params.InteractionSid!));
  return { interaction, channel: found(req, interaction.channels.get(req.params.ChannelSid!)) };
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
  const path = '/v1/Interactions/:InteractionSid/Channels/:ChannelSid/Invites';
  const sids = { InteractionSid: 'KD', ChannelSid: 'UO' };
  // Invites answer 200, as CreateInteraction does (Twilio's spec).
  route(P, {
    method: 'POST',
    path,
    sids,
    body: { Routing: 'str!' },
    handler: (req) => {
      const { interaction, channel } = channelOf(ctx, req);
      const { invite } = inviteToChannel(ctx, interaction, channel, objectParam(req.body, 'Routing', true)!);
      return { status: 200, body: serializeInvite(ctx, channel, invite) };
    },
  });
  const invites = resourceRoutes(route, ctx, {
    product: P,
    path,
    sids,
    itemSid: 'KG',
    parent: (req) => channelOf(ctx, req).channel,
    find: (ch, sid) => ch.invites.get(sid),
    serialize: (ch, i) => serializeInvite(ctx, ch, i),
  });
  invites.list({ key: 'invites', items: (_req, ch) => [...ch.invites.values()] });
}
