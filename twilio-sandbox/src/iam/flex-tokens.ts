import { randomBytes } from 'node:crypto';
import type { Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import { iso } from '../context.js';
import { newSid } from '../sids.js';

/** What the stand-in remembers of a Flex token it issued: whose it is and until when. */
interface IssuedToken {
  accountSid: string;
  workerSid: string;
  identity: string;
  roles: string[];
  flexUserSid: string;
  expiresAt: Date;
}

/** One token table per stand-in; kept beside the context so the state module stays as it is. */
const issuedByContext = new WeakMap<Ctx, Map<string, IssuedToken>>();

function issuedTokens(ctx: Ctx): Map<string, IssuedToken> {
  let issued = issuedByContext.get(ctx);
  if (!issued) {
    issued = new Map();
    issuedByContext.set(ctx, issued);
  }
  return issued;
}

/** How long a token lasts unless asked otherwise; Flex renews an agent's token about hourly. */
const DEFAULT_TTL_SECONDS = 3600;

export interface TokenRequest {
  /** A worker of the seeded workspace, by SID or friendly name (alice, bob, carol). */
  worker: string;
  /** Seconds from now; 0 or less issues a token that has already expired. */
  ttlSeconds?: number;
  /** Issue it for another account: this stand-in's validation then refuses it. */
  accountSid?: string;
  roles?: string[];
}

export interface IssuedTokenView {
  token: string;
  worker_sid: string;
  identity: string;
  expiration: string | null;
}

/**
 * Issues what Flex would hand a logged-in agent: an opaque string shaped like the JWE
 * compact serialization Flex uses (five base64url parts), meaningful only to validation.
 */
export function issueFlexToken(ctx: Ctx, request: TokenRequest): IssuedTokenView {
  const ws = ctx.store.workspaces.get(ctx.store.seeded.workspaceSid)!;
  const worker = ws.workers.get(request.worker) ?? [...ws.workers.values()].find((candidate) => candidate.friendlyName === request.worker);
  if (!worker) throw invalidParam('worker', `no worker ${request.worker}`);
  const ttlSeconds = request.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds)) throw invalidParam('ttlSeconds', 'must be a whole number of seconds');
  const accountSid = request.accountSid ?? ctx.accountSid;
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) throw invalidParam('accountSid', 'must be AC followed by 32 hex characters');
  const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: 'sandbox' })).toString('base64url');
  const token = [header, '', randomBytes(12), randomBytes(96), randomBytes(16)]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
  const issued: IssuedToken = {
    accountSid,
    workerSid: worker.sid,
    identity: worker.friendlyName,
    roles: request.roles ?? ['agent'],
    flexUserSid: newSid('FU'),
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  };
  issuedTokens(ctx).set(token, issued);
  return { token, worker_sid: issued.workerSid, identity: issued.identity, expiration: iso(issued.expiresAt) };
}

/** The body Twilio's IAM answers `POST /v1/Accounts/{AC}/Tokens/validate` with (the fields twilio-flex-token-validator passes on). */
export interface TokenValidation {
  valid: boolean;
  code: number;
  message: string | null;
  expiration: string | null;
  realm_user_id: string | null;
  identity: string | null;
  roles: string[] | null;
  worker_sid: string | null;
  flex_user_sid: string | null;
  flex_instance_sid: string | null;
}

/** The stand-in's own code for a refused token; Twilio's published specs do not list this endpoint's codes. */
const INVALID_TOKEN_CODE = 20401;

/** Judges a token for `accountSid`: unknown, expired and other accounts' tokens are `valid: false`, as the validator package expects. */
export function validateFlexToken(ctx: Ctx, accountSid: string, token: unknown): TokenValidation {
  const refused = (message: string): TokenValidation => ({
    valid: false,
    code: INVALID_TOKEN_CODE,
    message,
    expiration: null,
    realm_user_id: null,
    identity: null,
    roles: null,
    worker_sid: null,
    flex_user_sid: null,
    flex_instance_sid: null,
  });
  if (typeof token !== 'string' || token === '') return refused('Token is required');
  const issued = issuedTokens(ctx).get(token);
  if (!issued || issued.accountSid !== accountSid) return refused('Invalid token');
  if (issued.expiresAt.getTime() <= Date.now()) return refused('Token expired');
  return {
    valid: true,
    code: 0,
    message: null,
    expiration: iso(issued.expiresAt),
    realm_user_id: issued.identity,
    identity: issued.identity,
    roles: issued.roles,
    worker_sid: issued.workerSid,
    flex_user_sid: issued.flexUserSid,
    flex_instance_sid: flexInstanceSid(ctx),
  };
}

const instanceByContext = new WeakMap<Ctx, string>();

function flexInstanceSid(ctx: Ctx): string {
  let sid = instanceByContext.get(ctx);
  if (!sid) {
    sid = newSid('GO');
    instanceByContext.set(ctx, sid);
  }
  return sid;
}
