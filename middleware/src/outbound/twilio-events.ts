import { conversationsWebhookMedia, type AgentAttachment } from '../media/agent-media.js';
import { contentReferenceOf, type ContentReference } from '../rich/content-reference.js';
import type { WebhookParams } from '../twilio/webhook-form.js';
import { parseConversationsParticipantEvent, type ParticipantEvent } from './participant-events.js';

/** What a Twilio webhook tells the middleware. */
export type FlexEvent =
  | {
      kind: 'message';
      conversationSid: string;
      messageSid: string;
      author: string;
      text: string;
      source?: string;
      media?: AgentAttachment[];
      content?: ContentReference;
      /** One of this middleware's own notices to the agent (marked in its attributes). */
      systemNotice?: boolean;
    }
  | { kind: 'ended'; conversationSid: string }
  | ParticipantEvent
  | { kind: 'other'; eventType: string };

export type ParsedEvent = { ok: true; event: FlexEvent } | { ok: false; field: string; message: string };

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

/** The parameters the events are read from. */
const FIELDS = ['EventType', 'ConversationSid', 'MessageSid', 'Author', 'Body', 'Source', 'State', 'StateTo', 'ContentSid', 'Attributes'] as const;

const endsSession = (eventType: string, params: Partial<Record<(typeof FIELDS)[number], string>>) =>
  (eventType === 'onConversationUpdated' && params.State === 'closed') ||
  (eventType === 'onConversationStateUpdated' && params.StateTo === 'closed') ||
  eventType === 'onConversationRemoved';

/** Whether a message's attributes mark it as this middleware's notice (`systemNoticeAttributes`). */
function isSystemNotice(attributes: string | undefined): boolean {
  if (!attributes) return false;
  try {
    const parsed = JSON.parse(attributes) as unknown;
    return !!parsed && typeof parsed === 'object' && typeof (parsed as Record<string, unknown>).systemNotice === 'string';
  } catch {
    return false;
  }
}

/** Conversation-scoped webhooks (POST /twilio/conversations). */
export function parseConversationsWebhook(form: WebhookParams): ParsedEvent {
  const fields = singleValues(form, FIELDS);
  if (!fields.ok) return fields;
  const params = fields.values;
  const eventType = params.EventType;
  if (!eventType) return required('EventType');
  const conversationSid = params.ConversationSid;
  if (!conversationSid) return required('ConversationSid');
  if (eventType === 'onMessageAdded') {
    const missing = firstMissing(params, ['MessageSid', 'Author']);
    if (missing) return required(missing);
    const media = conversationsWebhookMedia(form);
    return {
      ok: true,
      event: {
        kind: 'message',
        conversationSid,
        messageSid: params.MessageSid!,
        author: params.Author!,
        text: params.Body ?? '',
        source: params.Source,
        ...(media.length > 0 ? { media } : {}),
        ...(params.ContentSid ? { content: contentReferenceOf(params.ContentSid, params.Attributes) } : {}),
        ...(isSystemNotice(params.Attributes) ? { systemNotice: true } : {}),
      },
    };
  }
  const participant = parseConversationsParticipantEvent(eventType, conversationSid, form);
  if (participant) return participant;
  return { ok: true, event: endsSession(eventType, params) ? { kind: 'ended', conversationSid } : { kind: 'other', eventType } };
}

function firstMissing<Name extends string>(params: Partial<Record<Name, string>>, names: Name[]): Name | undefined {
  return names.find((name) => !params[name]);
}

function required(field: string): ParsedEvent {
  return { ok: false, field, message: `${field} is required for this event` };
}
