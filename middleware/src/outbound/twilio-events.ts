import { isInactive } from '../twilio/chat-channel.js';

/** What a Twilio webhook tells the middleware, in either mode. */
export type FlexEvent =
  | { kind: 'message'; conversationSid: string; messageSid: string; author: string; text: string; source?: string }
  | { kind: 'ended'; conversationSid: string }
  | { kind: 'other'; eventType: string };

/** A webhook's form parameters as Twilio sent (and signed) them: a repeated key keeps every value, in order. */
export type WebhookParams = Readonly<Record<string, string | readonly string[]>>;

export type ParsedEvent = { ok: true; event: FlexEvent } | { ok: false; field: string; message: string };

/** Parses a form-encoded body, keeping every value of a repeated key. */
export function parseWebhookForm(body: string): WebhookParams {
  const values = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return Object.fromEntries([...values].map(([name, list]) => [name, list.length === 1 ? list[0]! : list]));
}

type Fields<Name extends string> = { ok: true; values: Partial<Record<Name, string>> } | { ok: false; field: Name; message: string };

/** The parameters an event is read from, each of which must come once: two values of one leave it ambiguous. */
function singleValues<Name extends string>(params: WebhookParams, names: readonly Name[]): Fields<Name> {
  const values: Partial<Record<Name, string>> = {};
  for (const name of names) {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (typeof value === 'object') return { ok: false, field: name, message: `${name} must appear once` };
    if (value !== undefined) values[name] = value;
  }
  return { ok: true, values };
}

const CONVERSATIONS_FIELDS = ['EventType', 'ConversationSid', 'MessageSid', 'Author', 'Body', 'Source', 'State', 'StateTo'] as const;
const CHAT_FIELDS = ['EventType', 'ChannelSid', 'MessageSid', 'From', 'Body', 'Source', 'Attributes'] as const;

/** Conversation-scoped webhooks (POST /twilio/conversations). */
export function parseConversationsWebhook(form: WebhookParams): ParsedEvent {
  const fields = singleValues(form, CONVERSATIONS_FIELDS);
  if (!fields.ok) return fields;
  const params = fields.values;
  const eventType = params.EventType;
  if (!eventType) return required('EventType');
  if (!params.ConversationSid) return required('ConversationSid');
  const conversationSid = params.ConversationSid;
  switch (eventType) {
    case 'onMessageAdded': {
      const missing = firstMissing(params, ['MessageSid', 'Author']);
      if (missing) return required(missing);
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
export function parseChatWebhook(form: WebhookParams): ParsedEvent {
  const fields = singleValues(form, CHAT_FIELDS);
  if (!fields.ok) return fields;
  const params = fields.values;
  const eventType = params.EventType;
  if (!eventType) return required('EventType');
  if (!params.ChannelSid) return required('ChannelSid');
  const conversationSid = params.ChannelSid;
  switch (eventType) {
    case 'onMessageSent': {
      const missing = firstMissing(params, ['MessageSid', 'From']);
      if (missing) return required(missing);
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

function firstMissing<Name extends string>(params: Partial<Record<Name, string>>, names: Name[]): Name | undefined {
  return names.find((name) => !params[name]);
}

function required(field: string): ParsedEvent {
  return { ok: false, field, message: `${field} is required for this event` };
}
