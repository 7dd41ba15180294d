import { createHash } from 'node:crypto';
import { setBounded } from '../shared/bounded-map.js';

/** The agent a valid Flex token belongs to, as Twilio's IAM describes it. */
export interface FlexAgent {
  /** The TaskRouter worker (WK...) of the agent: what outbound work is routed to. */
  workerSid: string;
  /** The agent's login identity; personal: never log it. */
  identity: string;
  /** Flex roles (agent, supervisor, admin). */
  roles: string[];
  /** When the token stops being valid. */
  expiresAt: Date;
}

/** Why a token did not prove an agent; `unavailable` is the kit's problem (IAM unreachable or refusing our credentials), not the agent's. */
export type TokenRefusal = 'malformed' | 'rejected' | 'expired' | 'no_worker' | 'unavailable';

export type TokenVerdict = { ok: true; agent: FlexAgent } | { ok: false; refusal: TokenRefusal };

export interface FlexTokenValidator {
  validate(token: string): Promise<TokenVerdict>;
}

export interface FlexTokenValidatorOptions {
  accountSid: string;
  /** Basic-auth credentials for IAM: the account's auth token, or an API key with its secret (preferred when set). */
  authToken: string;
  apiKeySid?: string;
  apiKeySecret?: string;
  /** `https://iam.twilio.com` in production; the stand-in's `${TWILIO_API_BASE_URL}/iam` offline. */
  iamBaseUrl: string;
  /** How long one validation call may take. */
  timeoutMs: number;
  /** How long a valid token's answer is reused (never past its expiry); 0 asks IAM every time. */
  cacheSeconds: number;
  now?: () => number;
  fetch?: typeof fetch;
}

/** The public IAM host, used unless a base URL (the offline stand-in) replaces every Twilio host. */
export const TWILIO_IAM_URL = 'https://iam.twilio.com';

/** The IAM base URL for TWILIO_API_BASE_URL (unset: Twilio's own). */
export function iamBaseUrlFor(apiBaseUrl: string | undefined): string {
  return apiBaseUrl ? `${apiBaseUrl.replace(/\/+$/, '')}/iam` : TWILIO_IAM_URL;
}

/** Flex tokens are JWE compact strings of a few KB; anything longer or with other characters is not one. */
const MAX_TOKEN_LENGTH = 8192;
const TOKEN_SHAPE = /^[A-Za-z0-9._~+/=-]+$/;
/** Enough for every agent of a large contact center; the oldest answer makes room. */
const MAX_CACHED_TOKENS = 5000;

/**
 * Validates Flex tokens as Twilio documents for Flex (the twilio-flex-token-validator package):
 * `POST {iam}/v1/Accounts/{AccountSid}/Tokens/validate`, JSON `{"token"}`, basic auth of the
 * account. Written here rather than taken from that package because it has a fixed host (the
 * stand-in could not answer it), no timeout, and rejects with bare strings that cannot tell an
 * invalid token from an IAM outage. A token of another account is invalid for this one's IAM.
 */
export function createFlexTokenValidator(options: FlexTokenValidatorOptions): FlexTokenValidator {
  const now = options.now ?? Date.now;
  const send = options.fetch ?? fetch;
  const user = options.apiKeySid && options.apiKeySecret ? options.apiKeySid : options.accountSid;
  const secret = options.apiKeySid && options.apiKeySecret ? options.apiKeySecret : options.authToken;
  const authorization = `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
  const url = `${options.iamBaseUrl.replace(/\/+$/, '')}/v1/Accounts/${options.accountSid}/Tokens/validate`;
  const cache = new Map<string, { agent: FlexAgent; until: number }>();

  async function askIam(token: string): Promise<TokenVerdict> {
    let response: Response;
    try {
      response = await send(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', 'cache-control': 'no-cache' },
        body: JSON.stringify({ token }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch {
      return { ok: false, refusal: 'unavailable' };
    }
    // 401/403: IAM refuses the kit's own credentials; 429/5xx: IAM is struggling. Neither says anything about the agent.
    if (response.status === 401 || response.status === 403 || response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      return { ok: false, refusal: 'unavailable' };
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok || !isRecord(body) || body.valid !== true) return { ok: false, refusal: 'rejected' };
    return agentFrom(body, now());
  }

  return {
    async validate(token) {
      if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) return { ok: false, refusal: 'malformed' };
      const key = createHash('sha256').update(token).digest('hex');
      const cached = cache.get(key);
      if (cached && cached.until > now()) return { ok: true, agent: cached.agent };
      cache.delete(key);
      const verdict = await askIam(token);
      if (verdict.ok && options.cacheSeconds > 0) {
        setBounded(
          cache,
          key,
          { agent: verdict.agent, until: Math.min(verdict.agent.expiresAt.getTime(), now() + options.cacheSeconds * 1000) },
          MAX_CACHED_TOKENS,
        );
      }
      return verdict;
    },
  };
}

/** A valid answer still has to name a worker and an expiry that has not passed (our clock, in case IAM's answer is stale). */
function agentFrom(body: Record<string, unknown>, nowMs: number): TokenVerdict {
  const workerSid = body.worker_sid;
  if (typeof workerSid !== 'string' || !/^WK[0-9a-fA-F]{32}$/.test(workerSid)) return { ok: false, refusal: 'no_worker' };
  const expiresAt = typeof body.expiration === 'string' ? new Date(body.expiration) : undefined;
  if (!expiresAt || Number.isNaN(expiresAt.getTime())) return { ok: false, refusal: 'rejected' };
  if (expiresAt.getTime() <= nowMs) return { ok: false, refusal: 'expired' };
  const identity = typeof body.identity === 'string' ? body.identity : '';
  const roles = Array.isArray(body.roles) ? body.roles.filter((role): role is string => typeof role === 'string') : [];
  return { ok: true, agent: { workerSid, identity, roles, expiresAt } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
