import type { Ctx } from '../context.js';
import { found, type ApiRequest } from '../http.js';
import type { ParentPath } from '../resource-routes.js';
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

/** The channel `:ChannelSid` names: the parent of its members, messages and webhooks. */
export function channelPath(ctx: Ctx): ParentPath<ChatChannel> {
  const parent = (req: ApiRequest) => chatChannel(ctx, req);
  return { product: P, path: '/v2/Services/:ServiceSid/Channels/:ChannelSid', sids: SERVICE_SIDS, parent };
}
