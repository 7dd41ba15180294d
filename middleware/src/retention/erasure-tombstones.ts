import { createHmac } from 'node:crypto';
import { DEFAULT_SIGNATURE_TOLERANCE_SECONDS } from '../security/hub-signature.js';
import type { TombstonePolicy } from '../store/store.js';

/** Clocks of the sender and of the instances may disagree by this much beyond the tolerance. */
export const TOMBSTONE_MARGIN_MS = 60_000;

/**
 * How long after an erasure a request signed before it may still be accepted: its timestamp
 * may be up to the tolerance ahead of the clock when it was first accepted, and is taken up to
 * the tolerance after that timestamp.
 */
export function replayWindowMs(toleranceSeconds: number): number {
  return 2 * toleranceSeconds * 1000 + TOMBSTONE_MARGIN_MS;
}

/**
 * Tombstones are HMACs under a key derived from the customer identity secret: every instance
 * and the forget command line have it, and a tombstone read from the store names no message id.
 */
export function erasureTombstones(identitySecret: string, toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS): TombstonePolicy {
  const key = createHmac('sha256', identitySecret).update('custom-channels erasure tombstone').digest();
  return {
    hash: (dedupeKey) => createHmac('sha256', key).update(dedupeKey).digest('hex'),
    ttlMs: replayWindowMs(toleranceSeconds),
  };
}
