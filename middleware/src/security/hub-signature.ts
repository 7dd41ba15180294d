import { createHmac, timingSafeEqual } from 'node:crypto';

/** The `X-Hub-Signature-256` value of a body: `sha256=` + hex HMAC-SHA256 with the channel's secret. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of an `X-Hub-Signature-256` header against the raw body. */
export function verifyBodySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = Buffer.from(signBody(secret, body), 'utf8');
  const received = Buffer.from(header.toLowerCase(), 'utf8');
  return expected.length === received.length && timingSafeEqual(expected, received);
}
