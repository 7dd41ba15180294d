import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { loadChannelsFile } from '@custom-channels/contract/node';
import { RETENTION_VARIABLES, retentionFromDays } from '../retention/retention-policy.js';
import { resolveChannels } from './channels.js';
import { ConfigError, type FlexConfig, type MiddlewareConfig } from './config.js';
import { DEFAULT_CONCURRENCY, DEFAULT_LEASE_MS, DEFAULT_MAX_THROTTLED_RETRIES, DEFAULT_RETRY_POLICY } from './outbox-settings.js';
import { DEFAULT_DOWNLOAD_TIMEOUTS } from '../media/safe-download.js';
import { DEFAULT_LINK_TTL_SECONDS } from '../media/media-links.js';
import { DEFAULT_DOWNLOAD_LIMITS } from '../media/download-pool.js';
import { type DatabaseLocation, parseDatabaseUrl } from '../store/database-url.js';
import { UPLOAD_LIMIT_VARIABLES, uploadLimitsFrom } from '../webchat/upload-limits.js';
import { LOG_HASH_KEY_HINT, LOG_HASH_KEY_MIN_LENGTH } from '../observability/log-hash.js';
import { DEFAULT_HTTP_TIMEOUTS } from '../http/server-timeouts.js';
import { DEFAULT_TWILIO_WEBHOOK_LIMITS } from '../twilio/webhook-form.js';
import { parseAllowedOrigins } from '../webchat/allowed-origins.js';
import { DEFAULT_WEBCHAT_SETTINGS } from '../webchat/webchat-settings.js';
import { DEFAULT_SHUTDOWN } from '../lifecycle/shutdown.js';
import { tracingSettingsFrom } from '../observability/tracing.js';
import { AGENT_AUTH_VARIABLES, agentAuthSettingsFrom } from '../agent-auth/agent-auth-settings.js';

/**
 * The middleware package's folder (the nearest one up with a package.json: the same from
 * `src/` under tsx and from the compiled `build/src/`); relative paths resolve against it.
 */
export const PACKAGE_DIR = packageDirOf(dirname(fileURLToPath(import.meta.url)));
/** Where the middleware and its admin CLIs keep their data when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/middleware.sqlite';

/** DATABASE_URL (the default when unset) read into where the store lives; the admin CLIs read it the same way. */
export function databaseLocation(databaseUrl: string | undefined): DatabaseLocation {
  return parseDatabaseUrl(databaseUrl ?? DEFAULT_DATABASE_URL, PACKAGE_DIR);
}

function packageDirOf(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** A variable that must match `pattern`; `hint` says how, in the error naming it. */
const matching = (pattern: string, hint: string) => ({ type: 'string' as const, pattern, hint });
const sid = (prefix: string) => matching(`^${prefix}[0-9a-fA-F]{32}$`, `must be "${prefix}" followed by 32 hex characters`);

/** INBOUND_SIGNATURE_TOLERANCE_SECONDS: 1 to 3600. */
export const SIGNATURE_TOLERANCE_PATTERN = '^([1-9]\\d{0,2}|[12]\\d{3}|3[0-5]\\d{2}|3600)$';
export const SIGNATURE_TOLERANCE_HINT = 'must be a number of seconds from 1 to 3600';

/** How long a Twilio REST call may take before it counts as failed (and is retried). */
export const DEFAULT_TWILIO_TIMEOUT_MS = 15_000;

/** Each variable's format; which ones are required depends on the routing and is checked after. */
const VARIABLES: Record<string, { type: 'string'; pattern?: string; enum?: string[]; hint: string }> = {
  TWILIO_ACCOUNT_SID: sid('AC'),
  TWILIO_AUTH_TOKEN: matching('^\\S{16,}$', 'must be the account auth token (no spaces)'),
  TWILIO_API_KEY_SID: sid('SK'),
  TWILIO_API_KEY_SECRET: matching('^\\S{16,}$', 'must be the API key secret (no spaces)'),
  TWILIO_API_BASE_URL: matching('^https?://[^\\s/]+/?$', 'must be an origin such as http://127.0.0.1:4010'),
  TWILIO_TIMEOUT_MS: matching('^[1-9]\\d{2,5}$', 'must be a number of milliseconds from 100 to 999999'),
  PUBLIC_BASE_URL: matching('^https?://[^\\s?#]+$', 'must be the http(s) URL Twilio reaches this service at, without query or fragment'),
  TWILIO_WORKSPACE_SID: sid('WS'),
  TWILIO_WORKFLOW_SID: sid('WW'),
  STUDIO_FLOW_SID: sid('FW'),
  CONVERSATION_CLOSED_TIMER: matching('^P(?!$)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$', 'must be an ISO 8601 duration such as P1D or PT12H'),
  DATABASE_URL: matching(
    '^(sqlite:|file:|rediss?(\\+cluster)?://|[^:]+$)',
    'must be redis://[user:password@]host[:port][/db] (rediss:// for TLS), redis+cluster://host:port[,host:port...] or sqlite:<path>',
  ),
  PORT: matching('^\\d{1,5}$', 'must be a port number'),
  HOST: matching('^\\S+$', 'must be an interface address such as 0.0.0.0'),
  LOG_LEVEL: {
    type: 'string',
    enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    hint: 'must be one of fatal, error, warn, info, debug, trace, silent',
  },
  INBOUND_BODY_LIMIT_BYTES: matching('^\\d+$', 'must be a number of bytes'),
  INBOUND_SIGNATURE_TOLERANCE_SECONDS: matching(SIGNATURE_TOLERANCE_PATTERN, SIGNATURE_TOLERANCE_HINT),
  CUSTOMER_IDENTITY_SECRET: matching('^\\S{16,}$', 'must be at least 16 characters, no spaces'),
  CHANNELS_FILE: matching('\\S', 'must be a path'),
  ADMIN_TOKEN: matching('^\\S{32,}$', 'must be at least 32 characters, no spaces (e.g. openssl rand -hex 32)'),
  MEDIA_SPOOL_DIR: matching('\\S', 'must be a path'),
  MEDIA_CONNECT_TIMEOUT_MS: matching('^[1-9]\\d{2,5}$', 'must be a number of milliseconds from 100 to 999999'),
  MEDIA_DOWNLOAD_TIMEOUT_MS: matching('^[1-9]\\d{2,6}$', 'must be a number of milliseconds from 100 to 9999999'),
  MEDIA_LINK_TTL_SECONDS: matching('^[1-9]\\d{1,6}$', 'must be a number of seconds from 10 to 9999999'),
  MEDIA_DOWNLOAD_CONCURRENCY: matching('^[1-9]\\d{0,3}$', 'must be a number from 1 to 9999'),
  MEDIA_DOWNLOAD_CONCURRENCY_PER_HOST: matching('^[1-9]\\d{0,3}$', 'must be a number from 1 to 9999'),
  MEDIA_DOWNLOAD_QUEUE: matching('^\\d{1,5}$', 'must be a number from 0 to 99999'),
  OUTBOX_CONCURRENCY: matching('^[1-9]\\d{0,3}$', 'must be a number from 1 to 9999'),
  LOG_HASH_KEY: matching(`^\\S{${LOG_HASH_KEY_MIN_LENGTH},}$`, `must be at least ${LOG_HASH_KEY_MIN_LENGTH} characters, no spaces (e.g. openssl rand -hex 32)`),
  HTTP_HEADERS_TIMEOUT_MS: matching('^[1-9]\\d{2,6}$', 'must be a number of milliseconds from 100 to 9999999'),
  HTTP_REQUEST_TIMEOUT_MS: matching('^[1-9]\\d{2,6}$', 'must be a number of milliseconds from 100 to 9999999'),
  HTTP_IDLE_TIMEOUT_MS: matching('^[1-9]\\d{2,6}$', 'must be a number of milliseconds from 100 to 9999999'),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: matching('^[1-9]\\d{2,6}$', 'must be a number of milliseconds from 100 to 9999999'),
  TWILIO_WEBHOOK_BODY_LIMIT_BYTES: matching('^[1-9]\\d{3,7}$', 'must be a number of bytes from 1000 to 99999999'),
  TWILIO_WEBHOOK_MAX_PARAMS: matching('^[1-9]\\d{1,4}$', 'must be a number from 10 to 99999'),
  CONTENT_CACHE_SECONDS: matching('^\\d{1,5}$', 'must be a number of seconds from 0 to 99999'),
  OUTBOX_LEASE_MS: matching('^[1-9]\\d{3,6}$', 'must be a number of milliseconds from 1000 to 9999999'),
  SHUTDOWN_READINESS_DELAY_MS: matching('^\\d{1,6}$', 'must be a number of milliseconds from 0 to 999999'),
  SHUTDOWN_GRACE_MS: matching('^[1-9]\\d{2,5}$', 'must be a number of milliseconds from 100 to 999999'),
  OUTBOX_MAX_THROTTLED_RETRIES: matching('^\\d{1,5}$', 'must be a number from 0 to 99999'),
  SURVEY_SWEEP_INTERVAL_MS: matching('^[1-9]\\d{2,6}$', 'must be a number of milliseconds from 100 to 9999999'),
  WEBCHAT_ALLOWED_ORIGINS: matching('\\S', 'must be comma-separated origins such as https://www.example.com, or *'),
  WEBCHAT_MAX_SOCKETS: matching('^[1-9]\\d{0,5}$', 'must be a number from 1 to 999999'),
  WEBCHAT_MAX_SOCKETS_PER_VISITOR: matching('^[1-9]\\d{0,2}$', 'must be a number from 1 to 999'),
  WEBCHAT_SEND_BUFFER_BYTES: matching('^[1-9]\\d{4,7}$', 'must be a number of bytes from 10000 to 99999999'),
  WEBCHAT_STALLED_SOCKET_SECONDS: matching('^[1-9]\\d{0,3}$', 'must be a number of seconds from 1 to 9999'),
  WEBCHAT_VISITOR_BYTES_PER_HOUR: matching('^[1-9]\\d{3,9}$', 'must be a number of bytes from 1000 to 9999999999'),
  WEBCHAT_PRESENCE_DEBOUNCE_SECONDS: matching('^[1-9]\\d{0,3}$', 'must be a number of seconds from 1 to 9999'),
  WEBCHAT_PRESENCE_WRITES_PER_HOUR: matching('^\\d{1,4}$', 'must be a number from 0 (off) to 9999'),
  ...Object.fromEntries(Object.keys(UPLOAD_LIMIT_VARIABLES).map((name) => [name, matching('^[1-9]\\d{0,5}$', 'must be a whole number from 1 to 999999')])),
  ...Object.fromEntries(Object.entries(AGENT_AUTH_VARIABLES).map(([name, { pattern, hint }]) => [name, matching(pattern, hint)])),
  ...Object.fromEntries(Object.keys(RETENTION_VARIABLES).map((name) => [name, matching('^[1-9]\\d{0,4}$', 'must be a whole number of days from 1 to 99999')])),
};

const validateFormats = new Ajv({ allErrors: true, strict: false }).compile({
  type: 'object',
  properties: Object.fromEntries(Object.entries(VARIABLES).map(([name, { hint: _hint, ...schema }]) => [name, schema])),
});

/** Reads and checks the environment once, at start; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): MiddlewareConfig {
  const vars = Object.fromEntries(Object.keys(VARIABLES).flatMap((name) => (env[name] ? [[name, env[name]]] : []))) as Record<string, string>;
  const problems = validateFormats(vars) ? [] : (validateFormats.errors ?? []).map(describeFormatError);
  const missing = (name: string, why: string) => {
    if (!vars[name]) problems.push(`${name} is missing: ${why}`);
  };

  missing('TWILIO_ACCOUNT_SID', 'the Twilio account to work in');
  missing('TWILIO_AUTH_TOKEN', 'it verifies the signature of every Twilio webhook (and authenticates API calls unless an API key is set)');
  if (Boolean(vars.TWILIO_API_KEY_SID) !== Boolean(vars.TWILIO_API_KEY_SECRET)) {
    problems.push('TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET go together: set both or neither');
  }
  missing('PUBLIC_BASE_URL', 'the public URL Twilio sends webhooks to; signatures are checked against it');
  missing('LOG_HASH_KEY', `it ${LOG_HASH_KEY_HINT}`);
  const httpTimeouts = {
    headersMs: vars.HTTP_HEADERS_TIMEOUT_MS ? Number(vars.HTTP_HEADERS_TIMEOUT_MS) : DEFAULT_HTTP_TIMEOUTS.headersMs,
    requestMs: vars.HTTP_REQUEST_TIMEOUT_MS ? Number(vars.HTTP_REQUEST_TIMEOUT_MS) : DEFAULT_HTTP_TIMEOUTS.requestMs,
    idleMs: vars.HTTP_IDLE_TIMEOUT_MS ? Number(vars.HTTP_IDLE_TIMEOUT_MS) : DEFAULT_HTTP_TIMEOUTS.idleMs,
    keepAliveMs: vars.HTTP_KEEP_ALIVE_TIMEOUT_MS ? Number(vars.HTTP_KEEP_ALIVE_TIMEOUT_MS) : DEFAULT_HTTP_TIMEOUTS.keepAliveMs,
  };
  // Node refuses a server whose headers may take longer than the whole request.
  if (httpTimeouts.headersMs > httpTimeouts.requestMs) problems.push('HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS');
  const shutdown = {
    readinessDelayMs: vars.SHUTDOWN_READINESS_DELAY_MS ? Number(vars.SHUTDOWN_READINESS_DELAY_MS) : DEFAULT_SHUTDOWN.readinessDelayMs,
    graceMs: vars.SHUTDOWN_GRACE_MS ? Number(vars.SHUTDOWN_GRACE_MS) : DEFAULT_SHUTDOWN.graceMs,
  };
  if (shutdown.readinessDelayMs >= shutdown.graceMs)
    problems.push('SHUTDOWN_READINESS_DELAY_MS must be shorter than SHUTDOWN_GRACE_MS (the grace counts from the signal)');

  const flex = readFlexConfig(vars, missing);
  let database: DatabaseLocation | undefined;
  try {
    database = databaseLocation(vars.DATABASE_URL);
  } catch (error) {
    problems.push(`DATABASE_URL is invalid: ${(error as Error).message}`);
  }

  const channelsFile = resolve(PACKAGE_DIR, vars.CHANNELS_FILE ?? '../channels.json');
  let channels: MiddlewareConfig['channels'] = [];
  try {
    const resolved = resolveChannels(loadChannelsFile(channelsFile).channels, env);
    channels = resolved.channels;
    problems.push(...resolved.problems);
  } catch (error) {
    problems.push(`CHANNELS_FILE: ${(error as Error).message}`);
  }

  const allowedOrigins = parseAllowedOrigins(vars.WEBCHAT_ALLOWED_ORIGINS ?? '');
  problems.push(...allowedOrigins.problems);
  const agentAuth = agentAuthSettingsFrom(vars);
  problems.push(...agentAuth.problems);

  if (problems.length > 0) throw new ConfigError(problems);

  const authToken = vars.TWILIO_AUTH_TOKEN!;
  const maxThrottledRetries = vars.OUTBOX_MAX_THROTTLED_RETRIES ? Number(vars.OUTBOX_MAX_THROTTLED_RETRIES) : DEFAULT_MAX_THROTTLED_RETRIES;
  const retryPolicy = { ...DEFAULT_RETRY_POLICY, maxThrottledRetries };
  return {
    host: vars.HOST ?? '0.0.0.0',
    port: vars.PORT ? Number(vars.PORT) : 3000,
    publicBaseUrl: vars.PUBLIC_BASE_URL!.replace(/\/+$/, ''),
    database: database!,
    logLevel: vars.LOG_LEVEL ?? 'info',
    twilio: {
      accountSid: vars.TWILIO_ACCOUNT_SID!,
      authToken,
      apiKeySid: vars.TWILIO_API_KEY_SID,
      apiKeySecret: vars.TWILIO_API_KEY_SECRET,
      apiBaseUrl: vars.TWILIO_API_BASE_URL,
      timeoutMs: vars.TWILIO_TIMEOUT_MS ? Number(vars.TWILIO_TIMEOUT_MS) : DEFAULT_TWILIO_TIMEOUT_MS,
    },
    flex: flex!,
    channels,
    customerIdentitySecret: vars.CUSTOMER_IDENTITY_SECRET ?? deriveIdentitySecret(authToken),
    inboundBodyLimitBytes: vars.INBOUND_BODY_LIMIT_BYTES ? Number(vars.INBOUND_BODY_LIMIT_BYTES) : 64 * 1024,
    ...(vars.INBOUND_SIGNATURE_TOLERANCE_SECONDS ? { inboundSignatureToleranceSeconds: Number(vars.INBOUND_SIGNATURE_TOLERANCE_SECONDS) } : {}),
    ...(vars.CONTENT_CACHE_SECONDS ? { contentCacheSeconds: Number(vars.CONTENT_CACHE_SECONDS) } : {}),
    retry: { toFlex: retryPolicy, toChannel: retryPolicy },
    outboxPollIntervalMs: 250,
    outboxLeaseMs: vars.OUTBOX_LEASE_MS ? Number(vars.OUTBOX_LEASE_MS) : DEFAULT_LEASE_MS,
    outboxConcurrency: vars.OUTBOX_CONCURRENCY ? Number(vars.OUTBOX_CONCURRENCY) : DEFAULT_CONCURRENCY,
    ...(vars.SURVEY_SWEEP_INTERVAL_MS ? { surveySweepIntervalMs: Number(vars.SURVEY_SWEEP_INTERVAL_MS) } : {}),
    retention: retentionFromDays(vars),
    media: {
      spoolDir: resolve(PACKAGE_DIR, vars.MEDIA_SPOOL_DIR ?? 'data/media-spool'),
      connectTimeoutMs: vars.MEDIA_CONNECT_TIMEOUT_MS ? Number(vars.MEDIA_CONNECT_TIMEOUT_MS) : DEFAULT_DOWNLOAD_TIMEOUTS.connectMs,
      downloadTimeoutMs: vars.MEDIA_DOWNLOAD_TIMEOUT_MS ? Number(vars.MEDIA_DOWNLOAD_TIMEOUT_MS) : DEFAULT_DOWNLOAD_TIMEOUTS.totalMs,
      linkTtlSeconds: vars.MEDIA_LINK_TTL_SECONDS ? Number(vars.MEDIA_LINK_TTL_SECONDS) : DEFAULT_LINK_TTL_SECONDS,
      downloads: {
        total: vars.MEDIA_DOWNLOAD_CONCURRENCY ? Number(vars.MEDIA_DOWNLOAD_CONCURRENCY) : DEFAULT_DOWNLOAD_LIMITS.total,
        perHost: vars.MEDIA_DOWNLOAD_CONCURRENCY_PER_HOST ? Number(vars.MEDIA_DOWNLOAD_CONCURRENCY_PER_HOST) : DEFAULT_DOWNLOAD_LIMITS.perHost,
        waiting: vars.MEDIA_DOWNLOAD_QUEUE ? Number(vars.MEDIA_DOWNLOAD_QUEUE) : DEFAULT_DOWNLOAD_LIMITS.waiting,
      },
    },
    ...(vars.ADMIN_TOKEN ? { adminToken: vars.ADMIN_TOKEN } : {}),
    webchat: {
      allowedOrigins: allowedOrigins.origins,
      maxSockets: vars.WEBCHAT_MAX_SOCKETS ? Number(vars.WEBCHAT_MAX_SOCKETS) : DEFAULT_WEBCHAT_SETTINGS.maxSockets,
      maxSocketsPerVisitor: vars.WEBCHAT_MAX_SOCKETS_PER_VISITOR ? Number(vars.WEBCHAT_MAX_SOCKETS_PER_VISITOR) : DEFAULT_WEBCHAT_SETTINGS.maxSocketsPerVisitor,
      sendBufferBytes: vars.WEBCHAT_SEND_BUFFER_BYTES ? Number(vars.WEBCHAT_SEND_BUFFER_BYTES) : DEFAULT_WEBCHAT_SETTINGS.sendBufferBytes,
      stalledSocketMs: vars.WEBCHAT_STALLED_SOCKET_SECONDS ? Number(vars.WEBCHAT_STALLED_SOCKET_SECONDS) * 1000 : DEFAULT_WEBCHAT_SETTINGS.stalledSocketMs,
      visitorBytesPerHour: vars.WEBCHAT_VISITOR_BYTES_PER_HOUR ? Number(vars.WEBCHAT_VISITOR_BYTES_PER_HOUR) : DEFAULT_WEBCHAT_SETTINGS.visitorBytesPerHour,
      presenceDebounceMs: vars.WEBCHAT_PRESENCE_DEBOUNCE_SECONDS
        ? Number(vars.WEBCHAT_PRESENCE_DEBOUNCE_SECONDS) * 1000
        : DEFAULT_WEBCHAT_SETTINGS.presenceDebounceMs,
      presenceWritesPerHour: vars.WEBCHAT_PRESENCE_WRITES_PER_HOUR
        ? Number(vars.WEBCHAT_PRESENCE_WRITES_PER_HOUR)
        : DEFAULT_WEBCHAT_SETTINGS.presenceWritesPerHour,
    },
    webchatUploads: uploadLimitsFrom(vars),
    logHashKey: vars.LOG_HASH_KEY!,
    httpTimeouts,
    twilioWebhookLimits: {
      bodyBytes: vars.TWILIO_WEBHOOK_BODY_LIMIT_BYTES ? Number(vars.TWILIO_WEBHOOK_BODY_LIMIT_BYTES) : DEFAULT_TWILIO_WEBHOOK_LIMITS.bodyBytes,
      params: vars.TWILIO_WEBHOOK_MAX_PARAMS ? Number(vars.TWILIO_WEBHOOK_MAX_PARAMS) : DEFAULT_TWILIO_WEBHOOK_LIMITS.params,
    },
    shutdown,
    agentAuth: agentAuth.settings,
    // The SDK reads the other OTEL_* variables itself.
    tracing: tracingSettingsFrom(env),
  };
}

function readFlexConfig(vars: Record<string, string>, missing: (name: string, why: string) => void): FlexConfig | undefined {
  const closedTimer = vars.CONVERSATION_CLOSED_TIMER ?? 'P1D';
  if (vars.TWILIO_WORKSPACE_SID || vars.TWILIO_WORKFLOW_SID) {
    missing('TWILIO_WORKSPACE_SID', 'routing through the Interactions API needs both the workspace and the workflow');
    missing('TWILIO_WORKFLOW_SID', 'routing through the Interactions API needs both the workspace and the workflow');
    const routing = {
      kind: 'interactions' as const,
      workspaceSid: vars.TWILIO_WORKSPACE_SID!,
      workflowSid: vars.TWILIO_WORKFLOW_SID!,
    };
    return { routing, closedTimer };
  }
  missing(
    'STUDIO_FLOW_SID',
    'the middleware routes to Flex through the Interactions API (set TWILIO_WORKSPACE_SID and TWILIO_WORKFLOW_SID) or a Studio flow (set STUDIO_FLOW_SID)',
  );
  return { routing: { kind: 'studio', flowSid: vars.STUDIO_FLOW_SID! }, closedTimer };
}

function describeFormatError(error: ErrorObject): string {
  const name = error.instancePath.replace(/^\//, '');
  return `${name} is invalid: ${VARIABLES[name]?.hint ?? error.message}`;
}

/** Keeps customer identities stable without one more required secret; set CUSTOMER_IDENTITY_SECRET to decouple them from the auth token. */
export function deriveIdentitySecret(authToken: string): string {
  return createHmac('sha256', authToken).update('custom-channels customer identity').digest('hex');
}
