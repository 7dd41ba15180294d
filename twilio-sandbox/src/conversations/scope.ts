import type { Ctx } from '../context.js';
import { found, type ApiRequest } from '../http.js';
import type { ParentPath } from '../resource-routes.js';
import type { Conversation } from '../state.js';

export const P = 'conversations';

/**
 * Every conversation route exists for the default service (/v1/Conversations) and for a named
 * service (/v1/Services/{ChatServiceSid}/Conversations); a scope is one of the two.
 */
export interface ServiceScope {
  prefix: string;
  sids: Record<string, string>;
  service(req: ApiRequest): string;
}

/** The named service a path's `ChatServiceSid` names, or Twilio's 404. */
export function namedService(ctx: Ctx, req: ApiRequest): string {
  return found(req, ctx.store.convServices.get(req.params.ChatServiceSid!)).sid;
}

export function serviceScopes(ctx: Ctx): ServiceScope[] {
  return [
    { prefix: '/v1', sids: {}, service: () => ctx.store.configuration.defaultChatServiceSid },
    {
      prefix: '/v1/Services/:ChatServiceSid',
      sids: { ChatServiceSid: 'IS' },
      service: (req) => namedService(ctx, req),
    },
  ];
}

/** The conversation (SID or unique name) a path names within the scope's service, or Twilio's 404. */
function scopedConversation(ctx: Ctx, scope: ServiceScope, req: ApiRequest): Conversation {
  return found(req, ctx.store.findConversation(req.params.ConversationSid!, scope.service(req)));
}

/** The conversation of the scope that `:ConversationSid` names: the parent of its participants, messages and webhooks. */
export function conversationPath(ctx: Ctx, scope: ServiceScope): ParentPath<Conversation> {
  const parent = (req: ApiRequest) => scopedConversation(ctx, scope, req);
  return { product: P, path: `${scope.prefix}/Conversations/:ConversationSid`, sids: scope.sids, parent };
}
