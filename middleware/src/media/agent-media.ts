import type { DeliveryPayload } from '../delivery/channel-events.js';
import type { WebhookParams } from '../twilio/webhook-form.js';

/** An agent's attachment as a Twilio webhook names it (a file in the Media Content Service), as the outbox holds it. */
export type AgentAttachment = NonNullable<DeliveryPayload['attachments']>[number];

const MEDIA_SID = /^ME[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^IS[0-9a-fA-F]{32}$/;

const single = (params: WebhookParams, name: string): string | undefined => {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
};

function attachment(sid: unknown, serviceSid: string, contentType: unknown, filename: unknown, size: unknown): AgentAttachment | undefined {
  if (typeof sid !== 'string' || !MEDIA_SID.test(sid)) return undefined;
  const bytes = typeof size === 'number' ? size : typeof size === 'string' && /^\d+$/.test(size) ? Number(size) : undefined;
  return {
    sid,
    serviceSid,
    contentType: typeof contentType === 'string' && contentType ? contentType : 'application/octet-stream',
    filename: typeof filename === 'string' && filename ? filename.slice(0, 255) : null,
    ...(bytes === undefined ? {} : { size: bytes }),
  };
}

/**
 * The `Media` parameter of a Conversations message webhook: a JSON string listing the files.
 * Twilio's docs do not name its fields, so it is read defensively: `Sid` (or `sid`),
 * `ContentType`, `Filename`, `Size`; entries without a Media SID are skipped.
 */
export function conversationsWebhookMedia(params: WebhookParams): AgentAttachment[] {
  const raw = single(params, 'Media');
  const serviceSid = single(params, 'ChatServiceSid');
  if (!raw || !serviceSid || !SERVICE_SID.test(serviceSid)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry: Record<string, unknown>) => {
    if (!entry || typeof entry !== 'object') return [];
    const found = attachment(
      entry.Sid ?? entry.sid,
      serviceSid,
      entry.ContentType ?? entry.content_type,
      entry.Filename ?? entry.filename,
      entry.Size ?? entry.size,
    );
    return found ? [found] : [];
  });
}
