import type { Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import type { EventOrigin } from '../event-origin.js';
import { restOrigin, type RouteTable } from '../http.js';
import { inOrder, ORDER } from '../paging.js';
import { childRoutes } from '../resource-routes.js';
import { newSid } from '../sids.js';
import { claimMedia, markAttached } from '../media/attach.js';
import type { ChatChannel, ChatMessage, MessageMedia } from '../state.js';
import { checkAttributes, type ParamDecls } from '../validate.js';
import { chatMessageParams, fireChatEvent } from './events.js';
import { channelPath } from './scope.js';
import { serializeChatMessage } from './serializers.js';

const MESSAGE_BODY: ParamDecls = {
  From: 'str',
  Attributes: 'str',
  DateCreated: 'date',
  DateUpdated: 'date',
  LastUpdatedBy: 'str',
  Body: 'str',
  MediaSid: 'sid:ME',
};

export function postChatMessage(
  ctx: Ctx,
  ch: ChatChannel,
  input: { from?: string; body: string; attributes?: string; media?: MessageMedia },
  origin: EventOrigin,
): ChatMessage {
  const now = new Date();
  const m: ChatMessage = {
    sid: newSid('IM'),
    channelSid: ch.sid,
    serviceSid: ch.serviceSid,
    index: ch.nextIndex++,
    from: input.from ?? 'system',
    body: input.body,
    attributes: input.attributes ?? '{}',
    media: input.media ?? null,
    source: origin.source,
    dateCreated: now,
    dateUpdated: now,
  };
  ch.messages.push(m);
  markAttached(ctx, m.media, ch.sid, m.sid);
  fireChatEvent(ctx, ch, 'onMessageSent', { ...chatMessageParams(m), Identity: m.from }, origin, m);
  return m;
}

export function registerChatMessageRoutes(route: RouteTable, ctx: Ctx): void {
  const messages = childRoutes(route, ctx, channelPath(ctx), 'Messages', {
    itemSid: 'IM',
    find: (ch, sid) => ch.messages.find((x) => x.sid === sid),
    serialize: (ch, m) => serializeChatMessage(ctx, ch, m),
  });
  messages.create(MESSAGE_BODY, (req, ch) => {
    const b = req.body;
    checkAttributes(b);
    if (!b.has('Body') && !b.has('MediaSid')) throw invalidParam('Body', 'Body or MediaSid must be given');
    const media = claimMedia(ctx, ch.serviceSid, b.get('MediaSid'));
    const input = { from: b.get('From'), body: b.get('Body') ?? '', attributes: b.get('Attributes'), media };
    return postChatMessage(ctx, ch, input, restOrigin(req));
  });
  messages.list({
    key: 'messages',
    maxPageSize: 100,
    query: ORDER,
    items: (req, ch) => inOrder(req.query, ch.messages),
  });
  messages.fetch();
  messages.remove((req, ch, m) => {
    ch.messages.splice(ch.messages.indexOf(m), 1);
    fireChatEvent(ctx, ch, 'onMessageRemoved', chatMessageParams(m), restOrigin(req));
  });
}
