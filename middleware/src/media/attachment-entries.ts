import type { InboundPayload } from '../inbound/inbound-service.js';
import type { InboundAttachment } from '../inbound/inbound-message.js';

/** One attachment of a customer's message, waiting in the outbox to be fetched and posted. */
export interface AttachmentToFetch extends InboundAttachment {
  /** Its place in the message's `media`, from 0: part of its dedupe key and of the posted message's attributes. */
  index: number;
}

/** The outbox entries of a message's attachments, each with the message's dedupe key and its index. */
export function attachmentEntries(message: InboundPayload, media: InboundAttachment[] | undefined, dedupeKey: string) {
  return (media ?? []).map((attachment, index) => ({
    payload: { ...message, message: { ...message.message, text: '' }, attachment: { ...attachment, index } } satisfies InboundPayload,
    dedupeKey: `${dedupeKey}:attachment:${index}`,
  }));
}
