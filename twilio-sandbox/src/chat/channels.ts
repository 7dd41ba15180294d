import type { Ctx } from '../context.js';
import { conflict } from '../errors.js';
import type { EventOrigin } from '../event-origin.js';
import { restOrigin, type RouteTable } from '../http.js';
import { resourceRoutes } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { ChatChannel } from '../state.js';
import { checkAttributes, type ParamDecls } from '../validate.js';
import { channelParams, fireChatEvent } from './events.js';
import { chatService, P, SERVICE_SIDS } from './scope.js';
import { serializeChatChannel } from './serializers.js';

const CHANNEL_BODY: ParamDecls = {
  FriendlyName: 'str',
  UniqueName: 'str',
  Attributes: 'str',
  DateCreated: 'date',
  DateUpdated: 'date',
  CreatedBy: 'str',
};
const CHANNEL_TYPE = 'enum:public|private';

const uniqueNameTaken = () => conflict(50307, 'Channel with provided unique name already exists');

export function createChatChannel(
  ctx: Ctx,
  serviceSid: string,
  input: {
    sid?: string;
    friendlyName?: string;
    uniqueName?: string;
    attributes?: string;
    type?: 'public' | 'private';
    createdBy?: string;
  },
): ChatChannel {
  // A new channel's unique name may not name an existing channel, by SID or unique name.
  if (input.uniqueName && ctx.store.findChatChannel(serviceSid, input.uniqueName)) throw uniqueNameTaken();
  const now = new Date();
  const ch: ChatChannel = {
    sid: input.sid ?? newSid('CH'),
    serviceSid,
    friendlyName: input.friendlyName ?? null,
    uniqueName: input.uniqueName ?? null,
    attributes: input.attributes ?? '{}',
    type: input.type ?? 'public',
    createdBy: input.createdBy ?? 'system',
    dateCreated: now,
    dateUpdated: now,
    members: new Map(),
    messages: [],
    nextIndex: 0,
    webhooks: new Map(),
  };
  ctx.store.chatChannels.set(ch.sid, ch);
  return ch;
}

export function updateChatChannel(
  ctx: Ctx,
  ch: ChatChannel,
  changes: { friendlyName?: string; uniqueName?: string; attributes?: string },
  origin: EventOrigin,
): void {
  const rename = changes.uniqueName;
  if (rename && rename !== ch.uniqueName) {
    const taken = [...ctx.store.chatChannels.values()].some((x) => x !== ch && x.serviceSid === ch.serviceSid && x.uniqueName === rename);
    if (taken) throw uniqueNameTaken();
  }
  if (changes.friendlyName !== undefined) ch.friendlyName = changes.friendlyName;
  if (changes.uniqueName !== undefined) ch.uniqueName = changes.uniqueName || null;
  if (changes.attributes !== undefined) ch.attributes = changes.attributes;
  ch.dateUpdated = new Date();
  fireChatEvent(ctx, ch, 'onChannelUpdated', channelParams(ch), origin);
}

export function registerChannelRoutes(route: RouteTable, ctx: Ctx): void {
  const channels = resourceRoutes(route, ctx, {
    product: P,
    path: '/v2/Services/:ServiceSid/Channels',
    sids: SERVICE_SIDS,
    parent: (req) => chatService(ctx, req),
    find: (s, key) => ctx.store.findChatChannel(s.sid, key),
    serialize: (_s, ch) => serializeChatChannel(ctx, ch),
  });
  channels.create({ ...CHANNEL_BODY, Type: CHANNEL_TYPE }, (req, s) => {
    const b = req.body;
    checkAttributes(b);
    const ch = createChatChannel(ctx, s.sid, {
      friendlyName: b.get('FriendlyName'),
      uniqueName: b.get('UniqueName'),
      attributes: b.get('Attributes'),
      type: b.get('Type')?.toLowerCase() as 'public' | 'private' | undefined,
      createdBy: b.get('CreatedBy'),
    });
    fireChatEvent(ctx, ch, 'onChannelAdded', channelParams(ch), restOrigin(req));
    return ch;
  });
  channels.list({
    key: 'channels',
    maxPageSize: 100,
    query: { Type: CHANNEL_TYPE },
    items: (req, s) => {
      const types = req.query.getAll('Type').map((t) => t.toLowerCase());
      return [...ctx.store.chatChannels.values()].filter((c) => c.serviceSid === s.sid && (!types.length || types.includes(c.type)));
    },
  });
  channels.fetch();
  channels.update(CHANNEL_BODY, (req, _s, ch) => {
    const b = req.body;
    checkAttributes(b);
    const changes = {
      friendlyName: b.get('FriendlyName'),
      uniqueName: b.get('UniqueName'),
      attributes: b.get('Attributes'),
    };
    updateChatChannel(ctx, ch, changes, restOrigin(req));
  });
  channels.remove((req, _s, ch) => {
    fireChatEvent(ctx, ch, 'onChannelDestroyed', channelParams(ch), restOrigin(req));
    ctx.store.chatChannels.delete(ch.sid);
    ctx.store.flexChannels.delete(ch.sid);
  });
}
