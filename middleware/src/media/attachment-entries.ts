import type { InboundAttachment } from '../inbound/inbound-message.js';
import type { InboundPayload } from '../inbound/inbound-payload.js';

/** The outbox entries of a message's attachments: the message's payload with no text, each with the dedupe key and its index. */
export function attachmentEntries(
  payload: InboundPayload,
  media: InboundAttachment[] | undefined,
  dedupeKey: string,
): { payload: InboundPayload; dedupeKey: string }[] {
  return (media ?? []).map((attachment, index) => ({
    payload: { ...payload, message: { ...payload.message, text: '' }, attachment: { ...attachment, index } },
    dedupeKey: `${dedupeKey}:attachment:${index}`,
  }));
}
