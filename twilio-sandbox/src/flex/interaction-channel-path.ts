import type { Ctx } from '../context.js';
import { found, type ApiRequest, type RouteTable } from '../http.js';
import type { ParentPath } from '../resource-routes.js';
import type { Interaction, InteractionChannel } from '../state.js';
import type { ParamDecls } from '../validate.js';
import { P } from './product.js';

const PATH = '/v1/Interactions/:InteractionSid/Channels/:ChannelSid';
const SIDS = { InteractionSid: 'KD', ChannelSid: 'UO' };

export interface ChannelOfRequest {
  interaction: Interaction;
  channel: InteractionChannel;
}

/** The interaction and channel a request's path names (or Twilio's 404). */
export function channelOf(ctx: Ctx, req: ApiRequest): ChannelOfRequest {
  const interaction = found(req, ctx.store.interactions.get(req.params.InteractionSid!));
  return { interaction, channel: found(req, interaction.channels.get(req.params.ChannelSid!)) };
}

/** Where an interaction channel's collections (Participants, Invites, Transfers) hang. */
export function interactionChannelPath(ctx: Ctx): ParentPath<InteractionChannel> {
  return { product: P, path: PATH, sids: SIDS, parent: (req) => channelOf(ctx, req).channel };
}

/**
 * A POST that adds to one of the channel's collections. Twilio's spec answers some of them
 * 200 and others 201, so the status is the caller's.
 */
export function postToChannel(
  route: RouteTable,
  ctx: Ctx,
  collection: string,
  post: { status: 200 | 201; body?: ParamDecls; answer(req: ApiRequest, at: ChannelOfRequest): unknown },
): void {
  route(P, {
    method: 'POST',
    path: `${PATH}/${collection}`,
    sids: SIDS,
    body: post.body,
    handler: (req) => ({ status: post.status, body: post.answer(req, channelOf(ctx, req)) }),
  });
}
