import { iso, linksBelow, productUrl, type Ctx } from '../context.js';
import { serializeWebhook } from '../channel-webhooks.js';
import { serializeMessageMedia } from '../media/attach.js';
import type { Conversation, Message, Participant, ScopedWebhook } from '../state.js';
import { P } from './scope.js';

function convPath(ctx: Ctx, c: Conversation): string {
  return c.serviceSid === ctx.store.configuration.defaultChatServiceSid ? `/v1/Conversations/${c.sid}` : `/v1/Services/${c.serviceSid}/Conversations/${c.sid}`;
}

function serializeTimers(c: Conversation): Record<string, string> {
  const timers: Record<string, string> = {};
  if (c.timers.dateInactive && c.state === 'active') timers.date_inactive = iso(c.timers.dateInactive)!;
  if (c.timers.dateClosed && c.state !== 'closed') timers.date_closed = iso(c.timers.dateClosed)!;
  return timers;
}

export function serializeConversation(ctx: Ctx, c: Conversation) {
  const url = productUrl(ctx, P, convPath(ctx, c));
  return {
    account_sid: ctx.accountSid,
    chat_service_sid: c.serviceSid,
    messaging_service_sid: c.messagingServiceSid,
    sid: c.sid,
    friendly_name: c.friendlyName,
    unique_name: c.uniqueName,
    attributes: c.attributes,
    state: c.state,
    date_created: iso(c.dateCreated),
    date_updated: iso(c.dateUpdated),
    timers: serializeTimers(c),
    bindings: {},
    url,
    links: linksBelow(url, {
      participants: 'Participants',
      messages: 'Messages',
      webhooks: 'Webhooks',
      export: 'Export',
    }),
  };
}

export function serializeParticipant(ctx: Ctx, c: Conversation, p: Participant) {
  return {
    account_sid: ctx.accountSid,
    conversation_sid: c.sid,
    sid: p.sid,
    identity: p.identity,
    attributes: p.attributes,
    messaging_binding: p.messagingBinding,
    role_sid: p.roleSid,
    date_created: iso(p.dateCreated),
    date_updated: iso(p.dateUpdated),
    url: productUrl(ctx, P, `${convPath(ctx, c)}/Participants/${p.sid}`),
    last_read_message_index: p.lastReadMessageIndex,
    last_read_timestamp: p.lastReadTimestamp,
  };
}

export function serializeMessage(ctx: Ctx, c: Conversation, m: Message) {
  const url = productUrl(ctx, P, `${convPath(ctx, c)}/Messages/${m.sid}`);
  return {
    account_sid: ctx.accountSid,
    conversation_sid: c.sid,
    sid: m.sid,
    index: m.index,
    author: m.author,
    body: m.body,
    media: m.media ? [serializeMessageMedia(m.media)] : null,
    attributes: m.attributes,
    participant_sid: m.participantSid,
    date_created: iso(m.dateCreated),
    date_updated: iso(m.dateUpdated),
    url,
    delivery: null,
    links: { delivery_receipts: `${url}/Receipts`, channel_metadata: `${url}/ChannelMetadata` },
    content_sid: m.contentSid ?? null,
  };
}

export function serializeScopedWebhook(ctx: Ctx, c: Conversation, w: ScopedWebhook) {
  return serializeWebhook(ctx, w, {
    kind: w.target,
    url: productUrl(ctx, P, `${convPath(ctx, c)}/Webhooks/${w.sid}`),
    placement: { conversation_sid: c.sid, target: w.target },
    settings: w.replayAfter === null ? {} : { replay_after: w.replayAfter },
  });
}

export function serializeParticipantConversation(ctx: Ctx, c: Conversation, p: Participant) {
  return {
    account_sid: ctx.accountSid,
    chat_service_sid: c.serviceSid,
    participant_sid: p.sid,
    participant_user_sid: null,
    participant_identity: p.identity,
    participant_messaging_binding: p.messagingBinding,
    conversation_sid: c.sid,
    conversation_unique_name: c.uniqueName,
    conversation_friendly_name: c.friendlyName,
    conversation_attributes: c.attributes,
    conversation_date_created: iso(c.dateCreated),
    conversation_date_updated: iso(c.dateUpdated),
    conversation_created_by: c.createdBy,
    conversation_state: c.state === 'initializing' ? 'active' : c.state,
    conversation_timers: serializeTimers(c),
    links: {
      participant: productUrl(ctx, P, `${convPath(ctx, c)}/Participants/${p.sid}`),
      conversation: productUrl(ctx, P, convPath(ctx, c)),
    },
  };
}
