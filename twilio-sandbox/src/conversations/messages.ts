import type { Ctx } from '../context.js';
import { invalidParam, TwilioApiError } from '../errors.js';
import type { EventOrigin } from '../event-origin.js';
import { assignText } from '../fields.js';
import type { Params } from '../form.js';
import { restOrigin, type RouteTable } from '../http.js';
import { inOrder, ORDER } from '../paging.js';
import { childRoutes } from '../resource-routes.js';
import { newSid } from '../sids.js';
import { claimMedia, markAttached } from '../media/attach.js';
import type { Conversation, Message, MessageMedia } from '../state.js';
import { checkAttributes, type ParamDecls } from '../validate.js';
import { fireConversationEvent, messageEventParams } from './events.js';
import { armTimers, assertOpen, setConversationState } from './lifecycle.js';
import { conversationPath, type ServiceScope } from './scope.js';
import { serializeMessage } from './serializers.js';

const ATTRIBUTES_LIMIT = 4 * 1024;
const BODY_LIMIT = 32 * 1024;
const MESSAGE_BODY: ParamDecls = {
  Author: 'str',
  Body: 'str',
  DateCreated: 'date',
  DateUpdated: 'date',
  Attributes: 'str',
  MediaSid: 'sid:ME',
  ContentSid: 'sid:HX',
  ContentVariables: 'str',
  Subject: 'str',
};

/** Adds a message; it makes an inactive conversation active again and restarts its timers. */
export function addMessage(
  ctx: Ctx,
  c: Conversation,
  input: { author?: string; body?: string; attributes?: string; dateCreated?: Date; media?: MessageMedia; contentSid?: string },
  origin: EventOrigin,
): Message {
  assertOpen(c);
  const author = input.author ?? 'system';
  const participant = [...c.participants.values()].find((p) => p.identity === author);
  const now = new Date();
  const m: Message = {
    sid: newSid('IM'),
    conversationSid: c.sid,
    index: c.nextIndex++,
    author,
    body: input.body ?? null,
    attributes: input.attributes ?? '{}',
    participantSid: participant?.sid ?? null,
    media: input.media ?? null,
    contentSid: input.contentSid ?? null,
    source: origin.source,
    dateCreated: input.dateCreated ?? now,
    dateUpdated: now,
  };
  c.messages.push(m);
  markAttached(ctx, m.media, c.sid, m.sid);
  c.dateUpdated = now;
  if (c.state === 'inactive') setConversationState(ctx, c, 'active', origin, 'EVENT');
  else armTimers(ctx, c);
  fireConversationEvent(ctx, c, 'onMessageAdded', messageEventParams(m), origin, m);
  return m;
}

function createMessage(ctx: Ctx, b: Params, c: Conversation, origin: EventOrigin): Message {
  checkAttributes(b, 'Attributes', ATTRIBUTES_LIMIT);
  if (!b.has('Body') && !b.has('MediaSid') && !b.has('ContentSid')) {
    throw new TwilioApiError(400, 50352, 'Message body or media must be provided');
  }
  const body = b.get('Body');
  if (body !== undefined && Buffer.byteLength(body) > BODY_LIMIT) throw invalidParam('Body', 'exceeds 32 KB');
  const media = claimMedia(ctx, c.serviceSid, b.get('MediaSid'));
  checkAttributes(b, 'ContentVariables', ATTRIBUTES_LIMIT);
  const contentSid = b.get('ContentSid');
  const input = { author: b.get('Author'), body, attributes: b.get('Attributes'), dateCreated: b.date('DateCreated'), media, contentSid };
  return addMessage(ctx, c, input, origin);
}

function updateMessage(ctx: Ctx, b: Params, c: Conversation, m: Message, origin: EventOrigin): void {
  checkAttributes(b, 'Attributes', ATTRIBUTES_LIMIT);
  assertOpen(c);
  assignText(b, m, { Author: 'author', Body: 'body', Attributes: 'attributes' });
  m.dateUpdated = new Date();
  fireConversationEvent(ctx, c, 'onMessageUpdated', messageEventParams(m), origin);
}

export function registerMessageRoutes(route: RouteTable, ctx: Ctx, scope: ServiceScope): void {
  const messages = childRoutes(route, ctx, conversationPath(ctx, scope), 'Messages', {
    itemSid: 'IM',
    find: (c, sid) => c.messages.find((x) => x.sid === sid),
    serialize: (c, m) => serializeMessage(ctx, c, m),
  });
  messages.create(MESSAGE_BODY, (req, c) => createMessage(ctx, req.body, c, restOrigin(req)));
  messages.list({ key: 'messages', maxPageSize: 100, query: ORDER, items: (req, c) => inOrder(req.query, c.messages) });
  messages.fetch();
  messages.update(MESSAGE_BODY, (req, c, m) => updateMessage(ctx, req.body, c, m, restOrigin(req)));
  messages.remove((req, c, m) => {
    c.messages.splice(c.messages.indexOf(m), 1);
    fireConversationEvent(ctx, c, 'onMessageRemoved', messageEventParams(m), restOrigin(req));
  });
}
