import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A web chat visitor is a random, opaque id (never a name or an e-mail address), proven by
 * a token the middleware signs: `<visitorId>.<issuedAt>.<hmac>`, HMAC-SHA256 over the
 * channel, the id and the issue time. The browser keeps it; an id without a valid token
 * is never trusted.
 */

export const VISITOR_ID_PATTERN = /^v_[A-Za-z0-9_-]{22}$/;
export const DEFAULT_TOKEN_MAX_AGE_MS = 90 * 24 * 3600 * 1000;

export interface VisitorTokens {
  /** A new visitor id and its token. */
  issue(channelType: string): { visitorId: string; token: string };
  /** A fresh token for a known visitor (tokens slide: each visit renews it). */
  renew(channelType: string, visitorId: string): string;
  /** The visitor id a token proves, or undefined when it is forged, for another channel or expired. */
  verify(channelType: string, token: string): string | undefined;
}

export interface VisitorTokenOptions {
  /** The signing key for a channel. */
  keyFor(channelType: string): string;
  maxAgeMs?: number;
  now?: () => number;
}

export function createVisitorTokens(options: VisitorTokenOptions): VisitorTokens {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_TOKEN_MAX_AGE_MS;
  const sign = (channelType: string, visitorId: string, issuedAt: string) =>
    createHmac('sha256', options.keyFor(channelType))
      .update(`webchat-visitor\u0000v1\u0000${channelType}\u0000${visitorId}\u0000${issuedAt}`)
      .digest('base64url');
  const tokenFor = (channelType: string, visitorId: string) => {
    const issuedAt = String(Math.floor(now() / 1000));
    return `${visitorId}.${issuedAt}.${sign(channelType, visitorId, issuedAt)}`;
  };

  return {
    issue(channelType) {
      const visitorId = `v_${randomBytes(16).toString('base64url')}`;
      return { visitorId, token: tokenFor(channelType, visitorId) };
    },
    renew: tokenFor,
    verify(channelType, token) {
      const parts = token.split('.');
      if (parts.length !== 3) return undefined;
      const [visitorId, issuedAt, signature] = parts as [string, string, string];
      if (!VISITOR_ID_PATTERN.test(visitorId) || !/^\d{1,12}$/.test(issuedAt)) return undefined;
      const expected = Buffer.from(sign(channelType, visitorId, issuedAt));
      const received = Buffer.from(signature);
      if (expected.length !== received.length || !timingSafeEqual(expected, received)) return undefined;
      const age = now() - Number(issuedAt) * 1000;
      if (age > maxAgeMs || age < -5 * 60 * 1000) return undefined;
      return visitorId;
    },
  };
}

/** The key a channel's tokens are signed with: its own secret when set, else one derived from the middleware's identity secret. */
export function webchatKeyResolver(identitySecret: string, channelSecrets: ReadonlyMap<string, string | undefined>): (channelType: string) => string {
  return (channelType) =>
    channelSecrets.get(channelType) ?? createHmac('sha256', identitySecret).update(`custom-channels webchat visitor token\u0000${channelType}`).digest('hex');
}
