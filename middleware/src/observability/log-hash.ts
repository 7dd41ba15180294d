import { createHmac, randomBytes } from 'node:crypto';

/** A short, stable stand-in for a personal value in logs: lines can be correlated without the value. */
export type LogHasher = (value: string) => string;

/** LOG_HASH_KEY's shortest accepted length: 32 characters make the key itself unguessable. */
export const LOG_HASH_KEY_MIN_LENGTH = 32;

/**
 * Keyed (HMAC-SHA256, cut to 12 hex digits): without the key, a hash cannot be matched to a
 * phone number or an id by trying them all. Every instance given the same key writes the same
 * hash for the same value, so lines still correlate across instances.
 */
export function createLogHasher(key: string): LogHasher {
  if (key.length < LOG_HASH_KEY_MIN_LENGTH) throw new Error(`the log hash key must be at least ${LOG_HASH_KEY_MIN_LENGTH} characters`);
  return (value) => createHmac('sha256', key).update(value).digest('hex').slice(0, 12);
}

/** What LOG_HASH_KEY is for and how to set it, in the error that says it is missing or invalid. */
export const LOG_HASH_KEY_HINT = `keys the hashes that stand for customer ids in logs; \`npm run setup\` writes one to the .env file, or set ${LOG_HASH_KEY_MIN_LENGTH}+ random characters without spaces (openssl rand -hex 32), the same on every instance`;

/** A new LOG_HASH_KEY, as `npm run setup` writes it: 32 random bytes in hex. */
export function generateLogHashKey(): string {
  return randomBytes(32).toString('hex');
}
