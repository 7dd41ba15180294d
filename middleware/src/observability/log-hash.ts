import { createHash } from 'node:crypto';

/** A short, stable stand-in for a personal value in logs: lets lines be correlated without the value. */
export function hashForLog(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}
