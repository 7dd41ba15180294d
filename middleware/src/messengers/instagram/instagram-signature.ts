import { createHmac, timingSafeEqual } from 'node:crypto';

export const INSTAGRAM_SIGNATURE_HEADER = 'x-hub-signature-256';

/** `sha256=` and the lowercase hex of an HMAC-SHA256, as Meta sends it. */
const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/;

/** Whether X-Hub-Signature-256 is the HMAC-SHA256 of the raw body under the app secret, compared in constant time. */
export function instagramSignatureMatches(rawBody: Buffer, appSecret: string, header: string): boolean {
  const presented = SIGNATURE_FORMAT.exec(header);
  if (!presented) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(presented[1]!, 'hex'), expected);
}

/**
 * The verify token Meta's console is given for the channel's callback URL: derived from the
 * app secret and the channel, so there is no other value to keep, and setup can print it.
 * It reveals nothing of the secret.
 */
export function instagramVerifyToken(appSecret: string, channelType: string): string {
  return createHmac('sha256', appSecret).update(`instagram webhook verify token:${channelType}`).digest('base64url').slice(0, 32);
}

/** Equal strings of any length, in constant time: both sides are hashed to the same length first. */
export function sameToken(expected: string, received: string): boolean {
  const digest = (value: string) => createHmac('sha256', 'verify token').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(received));
}
