import { createHash, randomBytes } from 'node:crypto';

/** A Twilio SID: two upper-case letters and 32 lower-case hex digits. */
export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** A SID derived from a seed string, stable across restarts (seeded resources). */
export function stableSid(prefix: string, seed: string): string {
  return prefix + createHash('sha256').update(seed).digest('hex').slice(0, 32);
}
