import { isInactive } from '../flex/flex-flow-gateway.js';

/** What a Twilio webhook tells the middleware, in either mode. */
export type FlexEvent =
  | { kind: 'message'; conversationSid: string; messageSid: string; author: string; text: string; source?: string }
  | { kind: 'ended'; conversationSid: string }
  | { kind: 'other'; eventType: string };

export type WebhookParams = Record<string, string>;

export type ParsedEvent = { ok: true; event: FlexEvent } | { ok: false; field: string };

/** Conversation-scoped webhooks (POST /twilio/conversations). */
export function parseConversationsWebhook(params: WebhookParams): ParsedEvent {
  const eventType = params.EventType;
  if (!eventType) return { ok: false, field: 'EventType' };
  if (!params.ConversationSid) return { ok: false, field: 'ConversationSid' };
  const conversationSid = params.ConversationSid;
  switch (eventType) {
    case 'onMessageAdded': {
      const missing = firstMissing(params, ['MessageSid', 'Author']);
      if (missing) return { ok: false, field: missing };
      return {
        ok: true,
        event: { kind: 'message', conversationSid, messageSid: params.MessageSid!, author: params.Author!, text: params.Body ?? '', source: params.Source },
      };
    }
    case 'onConversationUpdated':
      return { ok: true, event: params.State === 'closed' ? { kind: 'ended', conversationSid } : { kind: 'other', eventType } };
    case 'onConversationStateUpdated':
      return { ok: true, event: params.StateTo === 'closed' ? { kind: 'ended', conversationSid } : { kind: 'other', eventType } };
    case 'onConversationRemoved':
      return { ok: true, event: { kind: 'ended', conversationSid } };
    default:
      return { ok: true, event: { kind: 'other', eventType } };
  }
}

/** Programmable Chat channel webhooks (POST /twilio/chat), flex-flow mode. */
export function parseChatWebhook(params: WebhookParams): ParsedEvent {
  const eventType = params.EventType;
  if (!eventType) return { ok: false, field: 'EventType' };
  if (!params.ChannelSid) return { ok: false, field: 'ChannelSid' };
  const conversationSid = params.ChannelSid;
  switch (eventType) {
    case 'onMessageSent': {
      const missing = firstMissing(params, ['MessageSid', 'From']);
      if (missing) return { ok: false, field: missing };
      return {
        ok: true,
        event: { kind: 'message', conversationSid, messageSid: params.MessageSid!, author: params.From!, text: params.Body ?? '', source: params.Source },
      };
    }
    case 'onChannelUpdated':
      return { ok: true, event: isInactive(params.Attributes) ? { kind: 'ended', conversationSid } : { kind: 'other', eventType } };
    case 'onChannelDestroyed':
      return { ok: true, event: { kind: 'ended', conversationSid } };
    default:
      return { ok: true, event: { kind: 'other', eventType } };
  }
}

function firstMissing(params: WebhookParams, names: string[]): string | undefined {
  return names.find((name) => !params[name]);
}
