import type { Ctx } from '../context.js';
import { found, type ApiRequest } from '../http.js';
import type { Resource } from '../resource-routes.js';
import type { ChatChannel, ChatService } from '../state.js';

export const P = 'chat';

/** Path parameters of every route below a service. */
export const SERVICE_SIDS = { ServiceSid: 'IS' };

/** The service a path's `ServiceSid` names, or Twilio's 404. */
export function chatService(ctx: Ctx, req: ApiRequest): ChatService {
  return found(req, ctx.store.chatServices.get(req.params.ServiceSid!));
}

/** The channel (SID or unique name) a path's `ChannelSid` names in its service, or Twilio's 404. */
export function chatChannel(ctx: Ctx, req: ApiRequest): ChatChannel {
  return found(req, ctx.store.findChatChannel(chatService(ctx, req).sid, req.params.ChannelSid!));
}

/** A collection below a channel, e.g. `/v2/Services/{IS}/Channels/{CH}/Members`. */
export function channelChild<Item>(
  ctx: Ctx,
  collection: string,
  r: Pick<Resource<ChatChannel, Item>, 'itemSid' | 'find' | 'serialize'>,
): Resource<ChatChannel, Item> {
  return {
    product: P,
    path: `/v2/Services/:ServiceSid/Channels/:ChannelSid/${collection}`,
    sids: SERVICE_SIDS,
    parent: (req) => chatChannel(ctx, req),
    ...r,
  };
}
