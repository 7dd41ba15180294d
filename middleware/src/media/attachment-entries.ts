import type { InboundAttachment } from '../inbound/inbound-message.js';

/** One attachment of a customer's message, waiting in the outbox to be fetched and posted. */
export interface AttachmentToFetch extends InboundAttachment {
  /** Its place in the message's `media`, from 0: part of its dedupe key and of the posted message's attributes. */
  index: number;
}

/** The outbox entries of a message's attachments: the message's payload with no text, each with the dedupe key and its index. */
export function attachmentEntries<Payload extends { message: { text: string } }>(payload: Payload, media: InboundAttachment[] | undefined, dedupeKey: string) {
  return (media ?? []).map((attachment, index) => ({
    payload: { ...payload, message: { ...payload.message, text: '' }, attachment: { ...attachment, index } as AttachmentToFetch },
    dedupeKey: `${dedupeKey}:attachment:${index}`,
  }));
}
