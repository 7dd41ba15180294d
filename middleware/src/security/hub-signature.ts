import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The channel protocol's request signatures, both ways (inbound requests and deliveries):
 * `X-Channel-Timestamp: <unix seconds>` and
 * `X-Channel-Signature: v1=<hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + raw body)>`.
 * The timestamp is signed, so a captured request goes stale after the tolerance: replays end there.
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>` is the legacy, body-only scheme.
 */
export const TIMESTAMP_HEADER = 'x-channel-timestamp';
export const SIGNATURE_HEADER = 'x-channel-signature';
export const LEGACY_SIGNATURE_HEADER = 'x-hub-signature-256';

/** How far a request's timestamp may be from the receiver's clock, either way, by default. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

const TIMESTAMP_PATTERN = /^[1-9]\d{0,11}$/;
const SIGNATURE_PATTERN = /^v1=([0-9a-f]{64})$/;
const LEGACY_PATTERN = /^sha256=([0-9a-fA-F]{64})$/;

function hmac(secret: string, ...parts: Array<Buffer | string>): Buffer {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

function v1Digest(secret: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return hmac(secret, `v1:${timestamp}:`, rawBody);
}

/** The headers that sign `rawBody` now (or at `nowSeconds`): send them with exactly these bytes. */
export function signInboundRequest(secret: string, rawBody: Buffer | string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(nowSeconds);
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `v1=${v1Digest(secret, timestamp, rawBody).toString('hex')}`,
  };
}

/** The legacy `X-Hub-Signature-256` value of a body: `sha256=` + hex HMAC-SHA256 with the channel's secret. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${hmac(secret, body).toString('hex')}`;
}

/** Constant-time check of a legacy `X-Hub-Signature-256` header against the raw body. */
export function verifyBodySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  const match = LEGACY_PATTERN.exec(header ?? '');
  return match !== null && timingSafeEqual(Buffer.from(match[1]!, 'hex'), hmac(secret, body));
}

export type SignatureRefusal = 'invalid_signature' | 'stale_timestamp' | 'future_timestamp' | 'legacy_signature_refused';

export type SignatureCheck = { ok: true; scheme: 'v1' | 'legacy' } | { ok: false; code: SignatureRefusal; message: string };

export interface SignatureCheckOptions {
  secret: string;
  rawBody: Buffer;
  /** Request headers, lower-case names as node gives them. */
  headers: Record<string, string | string[] | undefined>;
  nowSeconds: number;
  toleranceSeconds: number;
  /** The channel still takes the body-only `X-Hub-Signature-256` (a migration period). */
  acceptLegacy: boolean;
}

/**
 * Checks a request signed by `signInboundRequest` (or, where the channel accepts it, the legacy
 * scheme). The signature is checked before the timestamp's age, so only a request signed with
 * the secret learns that its timestamp is the problem.
 */
export function verifySignedRequest(options: SignatureCheckOptions): SignatureCheck {
  const timestamp = single(options.headers[TIMESTAMP_HEADER]);
  const signature = single(options.headers[SIGNATURE_HEADER]);
  if (timestamp === undefined && signature === undefined) return checkLegacy(options);

  const match = SIGNATURE_PATTERN.exec(signature ?? '');
  if (timestamp === undefined || !TIMESTAMP_PATTERN.test(timestamp) || !match) {
    return refuse('invalid_signature', 'X-Channel-Timestamp must be whole unix seconds and X-Channel-Signature "v1=" and 64 lower-case hex digits');
  }
  if (!timingSafeEqual(Buffer.from(match[1]!, 'hex'), v1Digest(options.secret, timestamp, options.rawBody))) {
    return refuse('invalid_signature', 'X-Channel-Signature does not match the timestamp, the body and the channel secret');
  }
  const skew = options.nowSeconds - Number(timestamp);
  if (skew > options.toleranceSeconds) {
    return refuse('stale_timestamp', `X-Channel-Timestamp is more than ${options.toleranceSeconds} s old: sign each request when you send it`);
  }
  if (-skew > options.toleranceSeconds) {
    return refuse('future_timestamp', `X-Channel-Timestamp is more than ${options.toleranceSeconds} s ahead of this server's clock: check the sender's clock`);
  }
  return { ok: true, scheme: 'v1' };
}

/** A channel's check of a delivery from the middleware: the timestamped signature, within the default tolerance. */
export function isSignedDelivery(
  secret: string,
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  return verifySignedRequest({ secret, rawBody, headers, nowSeconds, toleranceSeconds: DEFAULT_SIGNATURE_TOLERANCE_SECONDS, acceptLegacy: false }).ok;
}

function checkLegacy(options: SignatureCheckOptions): SignatureCheck {
  const legacy = single(options.headers[LEGACY_SIGNATURE_HEADER]);
  if (legacy === undefined) return refuse('invalid_signature', 'X-Channel-Timestamp and X-Channel-Signature are missing');
  if (!options.acceptLegacy) {
    return refuse(
      'legacy_signature_refused',
      'X-Hub-Signature-256 (body only) is not accepted on this channel: sign with X-Channel-Timestamp and X-Channel-Signature',
    );
  }
  if (!verifyBodySignature(options.secret, options.rawBody, legacy)) {
    return refuse('invalid_signature', 'X-Hub-Signature-256 does not match the body and the channel secret');
  }
  return { ok: true, scheme: 'legacy' };
}

/** A header sent twice is no signature. */
function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? '' : value;
}

function refuse(code: SignatureRefusal, message: string): SignatureCheck {
  return { ok: false, code, message };
}
