import { createHmac, timingSafeEqual } from 'node:crypto';

export const VIBER_SIGNATURE_HEADER = 'x-viber-content-signature';

/** Lowercase hex of an HMAC-SHA256, as Viber writes it. */
const SIGNATURE_FORMAT = /^[0-9a-f]{64}$/;

/** Whether X-Viber-Content-Signature is the HMAC-SHA256 of the raw body under the bot's auth token, compared in constant time. */
export function viberSignatureMatches(rawBody: Buffer, authToken: string, signature: string): boolean {
  if (!SIGNATURE_FORMAT.test(signature)) return false;
  const expected = createHmac('sha256', authToken).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(signature, 'hex'), expected);
}
