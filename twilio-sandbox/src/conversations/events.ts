import { webhookFires } from '../channel-webhooks.js';
import { iso, type Ctx } from '../context.js';
import type { EventOrigin } from '../event-origin.js';
import { conversationMediaParam } from '../media/attach.js';
import type { Conversation, Message, Participant } from '../state.js';

/**
 * Fires a Conversations event.
 * - Conversation-scoped `webhook` (and `trigger`) webhooks fire for events from every source.
 * - Conversation-scoped `studio` webhooks run their flow on the first onMessageAdded, and
 *   later messages continue it while a widget waits for a reply; a REST-created message
 *   counts only with `X-Twilio-Webhook-Enabled: true`.
 * - Service-level post-event webhooks (account `/v1/Configuration/Webhooks` and
 *   `/v1/Services/{IS}/Configuration/Webhooks`) fire for SDK actions, and for REST
 *   actions only with `X-Twilio-Webhook-Enabled: true`.
 */
export function fireConversationEvent(
  ctx: Ctx,
  conv: Conversation,
  eventType: string,
  extra: Record<string, string>,
  origin: EventOrigin,
  message?: Message,
): void {
  const base: Record<string, string> = {
    AccountSid: ctx.accountSid,
    ChatServiceSid: conv.serviceSid,
    ConversationSid: conv.sid,
    EventType: eventType,
    Source: origin.source,
    ...(conv.messagingServiceSid ? { MessagingServiceSid: conv.messagingServiceSid } : {}),
    ...(origin.clientIdentity ? { ClientIdentity: origin.clientIdentity } : {}),
    ...extra,
  };
  for (const hook of conv.webhooks.values()) {
    if (hook.target === 'studio') {
      if (eventType !== 'onMessageAdded' || !message || !hook.flowSid) continue;
      if (hook.filters.length > 0 && !hook.filters.includes(eventType)) continue;
      if (origin.source === 'API' && !origin.webhookEnabled) continue;
      if (hook.executed) {
        ctx.scheduler.run(() => ctx.studio.continueForConversation(ctx, conv, base));
        continue;
      }
      hook.executed = true;
      const flowSid = hook.flowSid;
      ctx.scheduler.run(() => ctx.studio.runForConversation(ctx, flowSid, conv, base));
      continue;
    }
    if (!webhookFires(hook, hook.target, { type: eventType, messageAdded: eventType === 'onMessageAdded', body: message?.body })) continue;
    ctx.webhooks.send({
      url: hook.url,
      method: hook.method,
      params: { ...base, WebhookSid: hook.sid, WebhookType: hook.target === 'trigger' ? 'trigger' : 'webhook' },
    });
  }
  if (origin.source === 'API' && !origin.webhookEnabled) return;
  const configs = [ctx.store.configuration.webhooks, ctx.store.convServices.get(conv.serviceSid)?.webhooks];
  for (const config of configs) {
    if (!config || !config.postWebhookUrl || config.target === 'flex') continue;
    if (!config.filters.includes(eventType)) continue;
    ctx.webhooks.send({ url: config.postWebhookUrl, method: config.method, params: base });
  }
}

export function messageEventParams(m: Message): Record<string, string> {
  return {
    MessageSid: m.sid,
    Index: String(m.index),
    Author: m.author,
    Body: m.body ?? '',
    Attributes: m.attributes,
    DateCreated: iso(m.dateCreated)!,
    ...(m.participantSid ? { ParticipantSid: m.participantSid } : {}),
    ...(m.media ? conversationMediaParam(m.media) : {}),
    ...(m.contentSid ? { ContentSid: m.contentSid } : {}),
  };
}

export function participantEventParams(p: Participant): Record<string, string> {
  const params: Record<string, string> = {
    ParticipantSid: p.sid,
    Attributes: p.attributes,
    DateCreated: iso(p.dateCreated)!,
    DateUpdated: iso(p.dateUpdated)!,
  };
  if (p.identity) params.Identity = p.identity;
  if (p.roleSid) params.RoleSid = p.roleSid;
  if (p.lastReadMessageIndex !== null) params.LastReadMessageIndex = String(p.lastReadMessageIndex);
  if (p.lastReadTimestamp) params.LastReadTimestamp = p.lastReadTimestamp;
  for (const [k, v] of Object.entries(p.messagingBinding ?? {})) {
    params[`MessagingBinding.${k[0]!.toUpperCase()}${k.slice(1).replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}`] = v;
  }
  return params;
}

export function conversationEventParams(c: Conversation): Record<string, string> {
  return {
    FriendlyName: c.friendlyName ?? '',
    ...(c.uniqueName ? { UniqueName: c.uniqueName } : {}),
    Attributes: c.attributes,
    State: c.state,
    DateCreated: iso(c.dateCreated)!,
    DateUpdated: iso(c.dateUpdated)!,
  };
}
