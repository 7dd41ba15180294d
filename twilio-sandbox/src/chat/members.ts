import { iso, type Ctx } from '../context.js';
import { conflict, invalidParam } from '../errors.js';
import type { EventOrigin } from '../event-origin.js';
import { restOrigin, type ApiRequest, type RouteTable } from '../http.js';
import { childRoutes } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { ChatChannel, ChatMember, ChatUser } from '../state.js';
import { checkAttributes, type ParamDecls } from '../validate.js';
import { fireChatEvent } from './events.js';
import { channelPath } from './scope.js';
import { serializeChatMember } from './serializers.js';

const MEMBER_BODY: ParamDecls = {
  Identity: 'str!',
  RoleSid: 'sid:RL',
  LastConsumedMessageIndex: 'int',
  LastConsumptionTimestamp: 'date',
  DateCreated: 'date',
  DateUpdated: 'date',
  Attributes: 'str',
};

/** The service's user for an identity, created on first use. */
export function ensureUser(ctx: Ctx, serviceSid: string, identity: string, friendlyName?: string): ChatUser {
  const service = ctx.store.chatServices.get(serviceSid)!;
  let user = service.users.get(identity);
  if (!user) {
    user = { sid: newSid('US'), serviceSid, identity, friendlyName: friendlyName ?? null, dateCreated: new Date() };
    service.users.set(identity, user);
  } else if (friendlyName) {
    user.friendlyName = friendlyName;
  }
  return user;
}

export function addChatMember(ctx: Ctx, ch: ChatChannel, input: { identity: string; attributes?: string; roleSid?: string }, origin: EventOrigin): ChatMember {
  if ([...ch.members.values()].some((m) => m.identity === input.identity)) {
    throw conflict(50404, 'Member already exists');
  }
  ensureUser(ctx, ch.serviceSid, input.identity);
  const now = new Date();
  const m: ChatMember = {
    sid: newSid('MB'),
    channelSid: ch.sid,
    serviceSid: ch.serviceSid,
    identity: input.identity,
    roleSid: input.roleSid ?? null,
    attributes: input.attributes ?? '{}',
    lastConsumedMessageIndex: null,
    dateCreated: now,
    dateUpdated: now,
  };
  ch.members.set(m.sid, m);
  const role: Record<string, string> = m.roleSid ? { RoleSid: m.roleSid } : {};
  fireChatEvent(ctx, ch, 'onMemberAdded', { MemberSid: m.sid, Identity: m.identity, ...role, Reason: 'ADDED', DateCreated: iso(now)! }, origin);
  return m;
}

export function removeChatMember(ctx: Ctx, ch: ChatChannel, m: ChatMember, origin: EventOrigin): void {
  ch.members.delete(m.sid);
  const params = { MemberSid: m.sid, Identity: m.identity, Reason: 'REMOVED', DateRemoved: iso(new Date())! };
  fireChatEvent(ctx, ch, 'onMemberRemoved', params, origin);
}

/** A member's read horizon (`LastConsumedMessageIndex`), role or attributes change: `onMemberUpdated`. */
export function updateChatMember(
  ctx: Ctx,
  ch: ChatChannel,
  m: ChatMember,
  input: { lastConsumedMessageIndex?: number; roleSid?: string; attributes?: string },
  origin: EventOrigin,
): void {
  if (input.lastConsumedMessageIndex !== undefined) m.lastConsumedMessageIndex = input.lastConsumedMessageIndex;
  if (input.roleSid !== undefined) m.roleSid = input.roleSid;
  if (input.attributes !== undefined) m.attributes = input.attributes;
  m.dateUpdated = new Date();
  const consumed: Record<string, string> = m.lastConsumedMessageIndex === null ? {} : { LastConsumedMessageIndex: String(m.lastConsumedMessageIndex) };
  fireChatEvent(ctx, ch, 'onMemberUpdated', { MemberSid: m.sid, Identity: m.identity, ...consumed, DateUpdated: iso(m.dateUpdated)! }, origin);
}

/** The channel's members with one of the identities; all of them when none is given. */
function membersNamed(ch: ChatChannel, identities: string[]): ChatMember[] {
  return [...ch.members.values()].filter((m) => !identities.length || identities.includes(m.identity));
}

export function registerMemberRoutes(route: RouteTable, ctx: Ctx): void {
  const members = childRoutes(route, ctx, channelPath(ctx), 'Members', {
    // A member is named by its SID or its identity.
    find: (ch, key) => ch.members.get(key) ?? [...ch.members.values()].find((x) => x.identity === key),
    serialize: (ch, m) => serializeChatMember(ctx, ch, m),
  });
  members.create(MEMBER_BODY, (req, ch) => {
    const b = req.body;
    checkAttributes(b);
    const input = { identity: b.get('Identity')!, attributes: b.get('Attributes'), roleSid: b.get('RoleSid') };
    const m = addChatMember(ctx, ch, input, restOrigin(req));
    if (b.has('LastConsumedMessageIndex')) m.lastConsumedMessageIndex = b.int('LastConsumedMessageIndex')!;
    return m;
  });
  const items = (req: ApiRequest, ch: ChatChannel) => membersNamed(ch, req.query.getAll('Identity'));
  members.list({ key: 'members', maxPageSize: 100, query: { Identity: 'list' }, items });
  members.fetch();
  members.update({ ...MEMBER_BODY, Identity: 'str' }, (req, ch, m) => {
    const b = req.body;
    checkAttributes(b);
    if (b.has('Identity')) throw invalidParam('Identity', 'is not a parameter of a member update');
    const input = { lastConsumedMessageIndex: b.int('LastConsumedMessageIndex'), roleSid: b.get('RoleSid'), attributes: b.get('Attributes') };
    updateChatMember(ctx, ch, m, input, restOrigin(req));
  });
  members.remove((req, ch, m) => removeChatMember(ctx, ch, m, restOrigin(req)));
}
