import { serializeWebhook } from '../channel-webhooks.js';
import { iso, linksBelow, productUrl, type Ctx } from '../context.js';
import { serializeMessageMedia } from '../media/attach.js';
import type { ChatChannel, ChatMember, ChatMessage, ChatService, ChatWebhook } from '../state.js';
import { P } from './scope.js';

const serviceUrl = (ctx: Ctx, sid: string) => productUrl(ctx, P, `/v2/Services/${sid}`);
const channelUrl = (ctx: Ctx, ch: ChatChannel) => `${serviceUrl(ctx, ch.serviceSid)}/Channels/${ch.sid}`;

export function serializeChatService(ctx: Ctx, s: ChatService) {
  const url = serviceUrl(ctx, s.sid);
  return {
    sid: s.sid,
    account_sid: ctx.accountSid,
    friendly_name: s.friendlyName,
    date_created: iso(s.dateCreated),
    date_updated: iso(s.dateUpdated),
    default_service_role_sid: null,
    default_channel_role_sid: null,
    default_channel_creator_role_sid: null,
    read_status_enabled: true,
    reachability_enabled: false,
    typing_indicator_timeout: 5,
    consumption_report_interval: 10,
    limits: { channel_members: 100, user_channels: 250 },
    pre_webhook_url: s.webhooks.preWebhookUrl,
    post_webhook_url: s.webhooks.postWebhookUrl,
    webhook_method: s.webhooks.method,
    webhook_filters: s.webhooks.filters,
    pre_webhook_retry_count: 0,
    post_webhook_retry_count: 0,
    notifications: {},
    media: { size_limit_mb: 150, compatibility_message: 'Media messages are not supported' },
    url,
    links: { channels: `${url}/Channels`, users: `${url}/Users`, roles: `${url}/Roles`, bindings: `${url}/Bindings` },
  };
}

export function serializeChatChannel(ctx: Ctx, ch: ChatChannel) {
  const url = channelUrl(ctx, ch);
  return {
    sid: ch.sid,
    account_sid: ctx.accountSid,
    service_sid: ch.serviceSid,
    friendly_name: ch.friendlyName,
    unique_name: ch.uniqueName,
    attributes: ch.attributes,
    type: ch.type,
    date_created: iso(ch.dateCreated),
    date_updated: iso(ch.dateUpdated),
    created_by: ch.createdBy,
    members_count: ch.members.size,
    messages_count: ch.messages.length,
    url,
    links: {
      ...linksBelow(url, { members: 'Members', messages: 'Messages', invites: 'Invites', webhooks: 'Webhooks' }),
      last_message: null,
    },
  };
}

export function serializeChatMember(ctx: Ctx, ch: ChatChannel, m: ChatMember) {
  return {
    sid: m.sid,
    account_sid: ctx.accountSid,
    channel_sid: ch.sid,
    service_sid: ch.serviceSid,
    identity: m.identity,
    date_created: iso(m.dateCreated),
    date_updated: iso(m.dateUpdated),
    role_sid: m.roleSid,
    last_consumed_message_index: m.lastConsumedMessageIndex,
    last_consumption_timestamp: null,
    url: `${channelUrl(ctx, ch)}/Members/${m.sid}`,
    attributes: m.attributes,
  };
}

export function serializeChatMessage(ctx: Ctx, ch: ChatChannel, m: ChatMessage) {
  return {
    sid: m.sid,
    account_sid: ctx.accountSid,
    attributes: m.attributes,
    service_sid: ch.serviceSid,
    to: ch.sid,
    channel_sid: ch.sid,
    date_created: iso(m.dateCreated),
    date_updated: iso(m.dateUpdated),
    last_updated_by: null,
    was_edited: m.dateUpdated.getTime() !== m.dateCreated.getTime(),
    from: m.from,
    body: m.body,
    index: m.index,
    type: m.media ? 'media' : 'text',
    media: m.media ? serializeMessageMedia(m.media) : null,
    url: `${channelUrl(ctx, ch)}/Messages/${m.sid}`,
  };
}

export function serializeChatWebhook(ctx: Ctx, ch: ChatChannel, w: ChatWebhook) {
  return serializeWebhook(ctx, w, {
    kind: w.type,
    url: `${channelUrl(ctx, ch)}/Webhooks/${w.sid}`,
    placement: { service_sid: ch.serviceSid, channel_sid: ch.sid, type: w.type },
    settings: w.retryCount === null ? {} : { retry_count: w.retryCount },
  });
}
