import type { RetryPolicy } from './outbox-settings.js';
import type { RetentionPolicy } from '../retention/retention-policy.js';
import type { ChannelRuntime } from './channels.js';
import type { DownloadLimits } from '../media/download-pool.js';
import type { UploadLimits } from '../webchat/upload-limits.js';
import type { WebchatSettings } from '../webchat/webchat-settings.js';
import type { DatabaseLocation } from '../store/database-url.js';
import type { ShutdownSettings } from '../lifecycle/shutdown.js';
import type { TracingSettings } from '../observability/tracing.js';
import type { AgentAuthSettings } from '../agent-auth/agent-auth-settings.js';

export type RoutingConfig = { kind: 'interactions'; workspaceSid: string; workflowSid: string } | { kind: 'studio'; flowSid: string };

/** How sessions reach Flex: a Conversation each, routed by the Interactions API or a Studio flow. */
export interface FlexConfig {
  routing: RoutingConfig;
  closedTimer: string;
}

export interface TwilioConfig {
  accountSid: string;
  /** Always needed: Twilio signs its webhooks with the auth token, whatever the REST credentials. */
  authToken: string;
  apiKeySid?: string;
  apiKeySecret?: string;
  /** One origin replacing every Twilio host (the offline stand-in); unset in production. */
  apiBaseUrl?: string;
  /** How long one REST call may take; a slower answer is a timeout, retried like a connection error. */
  timeoutMs: number;
}

/** Everything the middleware needs to start, already validated. */
export interface MiddlewareConfig {
  host: string;
  port: number;
  /** The origin Twilio reaches this service at; webhook signatures are computed over it. */
  publicBaseUrl: string;
  /** DATABASE_URL, read. */
  database: DatabaseLocation;
  logLevel: string;
  twilio: TwilioConfig;
  flex: FlexConfig;
  channels: ChannelRuntime[];
  customerIdentitySecret: string;
  inboundBodyLimitBytes: number;
  /** CONTENT_CACHE_SECONDS: how long a Content template is used before it is fetched again; 300 when absent. */
  contentCacheSeconds?: number;
  /** INBOUND_SIGNATURE_TOLERANCE_SECONDS: how far a signed request's timestamp may be from now; 300 when absent. */
  inboundSignatureToleranceSeconds?: number;
  retry: { toFlex: RetryPolicy; toChannel: RetryPolicy };
  /** How often the outbox workers look for due retries. */
  outboxPollIntervalMs: number;
  /** How long an outbox claim lasts unless renewed (renewed every third of it while handled). */
  outboxLeaseMs: number;
  /** Entries of different customers handled at once, per queue. */
  outboxConcurrency: number;
  /** SURVEY_SWEEP_INTERVAL_MS: how often post-chat surveys past their timeout are closed; 5000 when absent. */
  surveySweepIntervalMs?: number;
  /** How long personal data is kept (RETENTION_*_DAYS). */
  retention: RetentionPolicy;
  /** Attachments: where downloads are spooled, and how long a download may take. */
  media?: MediaConfig;
  /** Bearer token of the admin endpoints (/admin/...) and /metrics; unset, they are disabled. */
  adminToken?: string;
  /** The web chat's socket limits and allowed origins (WEBCHAT_*). */
  webchat: WebchatSettings;
  /** WEBCHAT_UPLOAD*: web chat upload quotas, and how long an upload may wait for its message. */
  webchatUploads?: UploadLimits;
  /** LOG_HASH_KEY: keys the hashes that stand for customer ids in logs (see createLogHasher). */
  logHashKey: string;
  /** How long a client may take to send a request; slower ones are cut (see HTTP_* in the README). */
  httpTimeouts: HttpTimeouts;
  /** Twilio's webhooks: refused before parsing when larger, or with more parameters. */
  twilioWebhookLimits: { bodyBytes: number; params: number };
  /** SHUTDOWN_*: the readiness delay and the grace of a stop; DEFAULT_SHUTDOWN when absent. */
  shutdown?: ShutdownSettings;
  /** FLEX_*: the Flex origins agent routes answer, and how long a validated Flex token is trusted. */
  agentAuth?: AgentAuthSettings;
  /** OTEL_*: whether traces are exported; off when absent. */
  tracing?: TracingSettings;
}

export interface HttpTimeouts {
  /** HTTP_HEADERS_TIMEOUT_MS: until a request's headers are in. */
  headersMs: number;
  /** HTTP_REQUEST_TIMEOUT_MS: until the whole request, body included, is in (408 after). */
  requestMs: number;
  /** HTTP_IDLE_TIMEOUT_MS: a connection with no traffic either way is closed. */
  idleMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS: an idle kept-alive connection between requests is closed. */
  keepAliveMs: number;
}

export interface MediaConfig {
  /** A folder of this instance's own (MEDIA_SPOOL_DIR, default data/media-spool); emptied at start. */
  spoolDir: string;
  /** MEDIA_CONNECT_TIMEOUT_MS: until the channel's media host has accepted the connection. */
  connectTimeoutMs: number;
  /** MEDIA_DOWNLOAD_TIMEOUT_MS: for a whole download, redirects included. */
  downloadTimeoutMs: number;
  /** MEDIA_LINK_TTL_SECONDS: how long a link to an agent's attachment works. */
  linkTtlSeconds: number;
  /** MEDIA_DOWNLOAD_CONCURRENCY, _PER_HOST and MEDIA_DOWNLOAD_QUEUE: the customers' attachments fetched at once, apart from text. */
  downloads: DownloadLimits;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The middleware's configuration is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
