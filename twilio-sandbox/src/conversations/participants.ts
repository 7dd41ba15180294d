import { productUrl, type Ctx } from '../context.js';
import { conflict, invalidParam, TwilioApiError } from '../errors.js';
import type { EventOrigin } from '../event-origin.js';
import { assignText } from '../fields.js';
import type { Params } from '../form.js';
import { restOrigin, type RouteTable } from '../http.js';
import { listPage, PAGE } from '../paging.js';
import { childRoutes } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { Conversation, Participant } from '../state.js';
import { checkAttributes, type ParamDecls } from '../validate.js';
import { fireConversationEvent, participantEventParams } from './events.js';
import { assertOpen } from './lifecycle.js';
import { conversationPath, P, type ServiceScope } from './scope.js';
import { serializeParticipant, serializeParticipantConversation } from './serializers.js';

const PARTICIPANT_BODY: ParamDecls = {
  Identity: 'str',
  'MessagingBinding.Address': 'str',
  'MessagingBinding.ProxyAddress': 'str',
  'MessagingBinding.ProjectedAddress': 'str',
  DateCreated: 'date',
  DateUpdated: 'date',
  Attributes: 'str',
  RoleSid: 'sid:RL',
  LastReadMessageIndex: 'int',
  LastReadTimestamp: 'str',
};

export function addParticipant(
  ctx: Ctx,
  c: Conversation,
  input: { identity?: string; attributes?: string; messagingBinding?: Record<string, string> | null; roleSid?: string },
  origin: EventOrigin,
): Participant {
  assertOpen(c);
  const participants = [...c.participants.values()];
  if (input.identity !== undefined && participants.some((p) => p.identity === input.identity)) {
    throw conflict(50433, 'Participant already exists');
  }
  const address = input.messagingBinding?.address;
  if (address && participants.some((p) => p.messagingBinding?.address === address)) {
    throw conflict(50416, 'A participant with the provided address already exists');
  }
  const now = new Date();
  const p: Participant = {
    sid: newSid('MB'),
    conversationSid: c.sid,
    identity: input.identity ?? null,
    attributes: input.attributes ?? '{}',
    messagingBinding: input.messagingBinding ?? null,
    roleSid: input.roleSid ?? null,
    dateCreated: now,
    dateUpdated: now,
    lastReadMessageIndex: null,
    lastReadTimestamp: null,
  };
  c.participants.set(p.sid, p);
  fireConversationEvent(ctx, c, 'onParticipantAdded', participantEventParams(p), origin);
  return p;
}

export function removeParticipant(ctx: Ctx, c: Conversation, p: Participant, origin: EventOrigin): void {
  c.participants.delete(p.sid);
  fireConversationEvent(ctx, c, 'onParticipantRemoved', participantEventParams(p), origin);
}

/** The `MessagingBinding.*` parameters of a new SMS or WhatsApp participant; null for a chat participant. */
function readMessagingBinding(b: Params): Record<string, string> | null {
  const address = b.get('MessagingBinding.Address');
  if (!address && !b.has('MessagingBinding.ProjectedAddress')) return null;
  const binding: Record<string, string> = {};
  if (address) binding.address = address;
  if (b.has('MessagingBinding.ProxyAddress')) binding.proxy_address = b.get('MessagingBinding.ProxyAddress')!;
  if (b.has('MessagingBinding.ProjectedAddress')) binding.projected_address = b.get('MessagingBinding.ProjectedAddress')!;
  binding.type = address?.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
  return binding;
}

function createParticipant(ctx: Ctx, b: Params, c: Conversation, origin: EventOrigin): Participant {
  checkAttributes(b);
  const identity = b.get('Identity');
  if (!identity && !b.get('MessagingBinding.Address') && !b.has('MessagingBinding.ProjectedAddress')) {
    throw new TwilioApiError(400, 50400, 'Missing required parameter Identity or MessagingBinding.Address');
  }
  const input = {
    identity,
    attributes: b.get('Attributes'),
    messagingBinding: readMessagingBinding(b),
    roleSid: b.get('RoleSid'),
  };
  const p = addParticipant(ctx, c, input, origin);
  if (b.has('DateCreated')) p.dateCreated = b.date('DateCreated')!;
  return p;
}

function updateParticipant(ctx: Ctx, b: Params, c: Conversation, p: Participant, origin: EventOrigin): void {
  checkAttributes(b);
  assertOpen(c);
  assignText(b, p, {
    Attributes: 'attributes',
    Identity: 'identity',
    RoleSid: 'roleSid',
    LastReadTimestamp: 'lastReadTimestamp',
  });
  if (b.has('LastReadMessageIndex')) p.lastReadMessageIndex = b.int('LastReadMessageIndex')!;
  p.dateUpdated = new Date();
  fireConversationEvent(ctx, c, 'onParticipantUpdated', participantEventParams(p), origin);
}

/** A participant's read horizon moves (what Flex's SDK does when the agent reads): `onParticipantUpdated`. */
export function updateParticipantReadHorizon(ctx: Ctx, c: Conversation, p: Participant, index: number, timestamp: string, origin: EventOrigin): void {
  p.lastReadMessageIndex = index;
  p.lastReadTimestamp = timestamp;
  p.dateUpdated = new Date();
  fireConversationEvent(ctx, c, 'onParticipantUpdated', participantEventParams(p), origin);
}

export function registerParticipantRoutes(route: RouteTable, ctx: Ctx, scope: ServiceScope): void {
  const participants = childRoutes(route, ctx, conversationPath(ctx, scope), 'Participants', {
    // Twilio's spec: a fetch names the participant by its SID or its identity; an update or a delete by its SID only.
    find: (c, key, method) => c.participants.get(key) ?? (method === 'GET' ? [...c.participants.values()].find((x) => x.identity === key) : undefined),
    serialize: (c, p) => serializeParticipant(ctx, c, p),
  });
  participants.create(PARTICIPANT_BODY, (req, c) => createParticipant(ctx, req.body, c, restOrigin(req)));
  participants.list({ key: 'participants', maxPageSize: 100, items: (_req, c) => [...c.participants.values()] });
  participants.fetch();
  participants.update(PARTICIPANT_BODY, (req, c, p) => updateParticipant(ctx, req.body, c, p, restOrigin(req)));
  participants.remove((req, c, p) => removeParticipant(ctx, c, p, restOrigin(req)));
}

/** `GET .../ParticipantConversations`: the conversations of the service an identity or address takes part in. */
export function registerParticipantConversationRoutes(route: RouteTable, ctx: Ctx, scope: ServiceScope): void {
  route(P, {
    method: 'GET',
    path: `${scope.prefix}/ParticipantConversations`,
    sids: scope.sids,
    query: { Identity: 'str', Address: 'str', ...PAGE },
    handler: (req) => {
      const identity = req.query.get('Identity');
      const address = req.query.get('Address');
      if (!identity && !address) throw invalidParam('Identity', 'either Identity or Address must be given');
      const rows = participations(ctx, scope.service(req), (p) =>
        Boolean((identity && p.identity === identity) || (address && p.messagingBinding?.address === address)),
      );
      const opts = { key: 'conversations', url: productUrl(ctx, P, req.twilioPath), maxPageSize: 50 };
      return listPage(req, rows, opts, ([c, p]) => serializeParticipantConversation(ctx, c, p));
    },
  });
}

function participations(ctx: Ctx, serviceSid: string, matches: (p: Participant) => boolean): Array<[Conversation, Participant]> {
  const rows: Array<[Conversation, Participant]> = [];
  for (const c of ctx.store.conversations.values()) {
    if (c.serviceSid !== serviceSid) continue;
    for (const p of c.participants.values()) if (matches(p)) rows.push([c, p]);
  }
  return rows;
}
