import { createHmac, timingSafeEqual } from 'node:crypto';

/** Base64 of an HMAC-SHA256: 43 characters and one "=". */
const SIGNATURE_FORMAT = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Whether X-Line-Signature is the HMAC-SHA256 of the raw body under the channel secret.
 * Strict where base64 decoding is lenient (it drops trailing garbage and takes missing
 * padding): the header must be the canonical encoding of exactly the 32 expected bytes.
 */
export function lineSignatureMatches(rawBody: Buffer, channelSecret: string, signature: string): boolean {
  if (!SIGNATURE_FORMAT.test(signature)) return false;
  const presented = Buffer.from(signature, 'base64');
  if (presented.toString('base64') !== signature) return false;
  const expected = createHmac('sha256', channelSecret).update(rawBody).digest();
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
