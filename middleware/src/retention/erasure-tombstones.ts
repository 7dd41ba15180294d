import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { loadChannelsFile } from '@custom-channels/contract/node';
import type { MiddlewareConfig } from '../config/config.js';
import { deriveIdentitySecret, PACKAGE_DIR, SIGNATURE_TOLERANCE_HINT, SIGNATURE_TOLERANCE_PATTERN } from '../config/load-config.js';
import { DEFAULT_SIGNATURE_TOLERANCE_SECONDS } from '../security/hub-signature.js';
import type { TombstonePolicy } from '../store/store.js';
import { DAY_MS, DEFAULT_RETENTION } from './retention-policy.js';

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

export interface TombstoneSettings {
  /** The customer identity secret: every instance and the forget command line have it. */
  identitySecret: string;
  toleranceSeconds?: number;
  /** Channels that take the body-only signature: their captured requests never go stale. */
  legacyChannels?: readonly string[];
  /** The dedupe retention: how long a legacy channel's tombstones stand in for its dedupe keys. */
  dedupeMs?: number;
}

/**
 * Tombstones are HMACs under a key derived from the customer identity secret, so a tombstone
 * read from the store names no message id. They last the replay window; on a channel that
 * still takes the body-only signature, as long as the dedupe key would have: the erasure never
 * lets in a replay that the dedupe key would have refused.
 */
export function erasureTombstones(settings: TombstoneSettings): TombstonePolicy {
  const key = createHmac('sha256', settings.identitySecret).update('custom-channels erasure tombstone').digest();
  const window = replayWindowMs(settings.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS);
  const legacy = new Set(settings.legacyChannels ?? []);
  const legacyMs = Math.max(window, settings.dedupeMs ?? DEFAULT_RETENTION.dedupeMs);
  return {
    hash: (dedupeKey) => createHmac('sha256', key).update(dedupeKey).digest('hex'),
    ttlMsFor: (channelType) => (legacy.has(channelType) ? legacyMs : window),
  };
}

/** The middleware's tombstones. */
export function erasureTombstonesFor(config: MiddlewareConfig): TombstonePolicy {
  return erasureTombstones({
    identitySecret: config.customerIdentitySecret,
    toleranceSeconds: config.inboundSignatureToleranceSeconds,
    legacyChannels: config.channels.filter((channel) => channel.legacyBodySignature).map((channel) => channel.channelType),
    dedupeMs: config.retention.dedupeMs,
  });
}

/**
 * The same tombstones, for the forget command line, from the few variables they depend on
 * (the middleware's whole configuration is needed only to reach Twilio).
 */
export function erasureTombstonesFromEnv(env: Record<string, string | undefined>): TombstonePolicy {
  const identitySecret = env.CUSTOMER_IDENTITY_SECRET || (env.TWILIO_AUTH_TOKEN ? deriveIdentitySecret(env.TWILIO_AUTH_TOKEN) : undefined);
  if (!identitySecret) {
    throw new Error('CUSTOMER_IDENTITY_SECRET or TWILIO_AUTH_TOKEN is missing: the erasure keys its replay tombstones with it, as the middleware does');
  }
  const tolerance = env.INBOUND_SIGNATURE_TOLERANCE_SECONDS || undefined;
  if (tolerance !== undefined && !new RegExp(SIGNATURE_TOLERANCE_PATTERN).test(tolerance)) {
    throw new Error(`INBOUND_SIGNATURE_TOLERANCE_SECONDS is invalid: ${SIGNATURE_TOLERANCE_HINT}`);
  }
  const dedupeDays = env.RETENTION_DEDUPE_DAYS || undefined;
  if (dedupeDays !== undefined && !/^[1-9]\d{0,4}$/.test(dedupeDays)) {
    throw new Error('RETENTION_DEDUPE_DAYS is invalid: must be a whole number of days from 1 to 99999');
  }
  const channels = loadChannelsFile(resolve(PACKAGE_DIR, env.CHANNELS_FILE || '../channels.json')).channels;
  return erasureTombstones({
    identitySecret,
    toleranceSeconds: tolerance === undefined ? undefined : Number(tolerance),
    legacyChannels: channels.filter((channel) => channel.legacyBodySignature).map((channel) => channel.channelType),
    dedupeMs: dedupeDays === undefined ? undefined : Number(dedupeDays) * DAY_MS,
  });
}
