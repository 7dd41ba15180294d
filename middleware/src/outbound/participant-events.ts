import type { WebhookParams } from '../twilio/webhook-form.js';

/** What participant webhooks tell the middleware. */
export type ParticipantEvent =
  | { kind: 'participant_joined'; conversationSid: string; participantSid: string; identity: string; displayName?: string }
  | { kind: 'participant_read'; conversationSid: string; identity: string; lastReadIndex: number };

export type ParsedParticipantEvent = { ok: true; event: ParticipantEvent } | { ok: false; field: string; message: string };

/** A participant event, a problem with one, or undefined for anything else (other events, updates that are no read). */
export function parseConversationsParticipantEvent(eventType: string, conversationSid: string, params: WebhookParams): ParsedParticipantEvent | undefined {
  if (eventType !== 'onParticipantAdded' && eventType !== 'onParticipantUpdated') return undefined;
  const identity = single(params, 'Identity');
  if (typeof identity !== 'string') return identity ?? missing('Identity');
  if (eventType === 'onParticipantAdded') {
    const participantSid = single(params, 'ParticipantSid');
    if (typeof participantSid !== 'string') return participantSid ?? missing('ParticipantSid');
    const displayName = displayNameOf(single(params, 'Attributes'));
    return { ok: true, event: { kind: 'participant_joined', conversationSid, participantSid, identity, ...(displayName ? { displayName } : {}) } };
  }
  const index = single(params, 'LastReadMessageIndex');
  // An update that moves no read horizon (attributes, role) is no read.
  if (index === undefined) return undefined;
  if (typeof index !== 'string') return index;
  if (!/^\d{1,15}$/.test(index)) return { ok: false, field: 'LastReadMessageIndex', message: 'LastReadMessageIndex must be a message index' };
  return { ok: true, event: { kind: 'participant_read', conversationSid, identity, lastReadIndex: Number(index) } };
}

function single(params: WebhookParams, name: string): string | { ok: false; field: string; message: string } | undefined {
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  if (typeof value === 'object') return { ok: false, field: name, message: `${name} must appear once` };
  return value === '' ? undefined : value;
}

function missing(field: string): ParsedParticipantEvent {
  return { ok: false, field, message: `${field} is required for this event` };
}

/** A name in the participant's attributes (Flex puts none there by default; a customisation may). */
function displayNameOf(attributes: unknown): string | undefined {
  if (typeof attributes !== 'string') return undefined;
  try {
    const parsed = JSON.parse(attributes) as Record<string, unknown>;
    const name = parsed.friendly_name ?? parsed.full_name ?? parsed.name;
    return typeof name === 'string' && name.trim() && name.length <= 256 ? name : undefined;
  } catch {
    return undefined;
  }
}
