import { createHash, randomUUID } from 'node:crypto';

/**
 * A Twilio SID: two upper-case letters and 32 lower-case hex digits. A random UUID's digits
 * (version and variant digits included): node draws those from a cached pool, where
 * `randomBytes` calls into OpenSSL for each SID.
 */
export function newSid(prefix: string): string {
  return prefix + randomUUID().replaceAll('-', '');
}

/** A SID derived from a seed string, stable across restarts (seeded resources). */
export function stableSid(prefix: string, seed: string): string {
  return prefix + createHash('sha256').update(seed).digest('hex').slice(0, 32);
}
