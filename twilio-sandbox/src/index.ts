import type { Ctx } from './context.js';
import { registerContentRoutes } from './content/contents.js';
import { registerControlRoutes } from './control/routes.js';
import { registerConversationRoutes } from './conversations/routes.js';
import { createRandom, FaultInjector, normaliseFaults, type FaultSettings, type FaultStats } from './faults.js';
import { registerFlexRoutes } from './flex/routes.js';
import { registerIamRoutes } from './iam/routes.js';
import { createHttpServer, routeTable } from './http.js';
import { registerMediaRoutes } from './media/routes.js';
import { MediaStore } from './media/store.js';
import { Scheduler } from './scheduler.js';
import { SandboxState, type Seeded } from './state.js';
import { registerStudioRoutes } from './studio/flows.js';
import { createStudioFlows } from './studio/runner.js';
import { registerTaskRouterRoutes } from './taskrouter/routes.js';
import { WebhookDispatcher, type DeliveryRecord } from './webhooks.js';

export type { FaultSettings, FaultStats, HttpFaultRule, WebhookFaults, FaultMatch, Millis } from './faults.js';
export type { DeliveryRecord } from './webhooks.js';

export const DEFAULT_ACCOUNT_SID = 'AC00000000000000000000000000000001';
export const DEFAULT_AUTH_TOKEN = 'sandbox-auth-token-0000000000001';
const MCS_MAX_BYTES = 150 * 1024 * 1024;

export interface SandboxOptions {
  /** 0 = ephemeral (tests). Default 0; the CLI (`npm run sandbox`) defaults to 4010. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  accountSid?: string;
  authToken?: string;
  /** API keys (SK... → secret) accepted as basic-auth credentials besides the auth token. */
  apiKeys?: Record<string, string>;
  faults?: FaultSettings;
  /** Outgoing webhook timeout; default 5000 ms, as Twilio. */
  webhookTimeoutMs?: number;
  /** Retries after a failed webhook attempt (timeout, connection error, 5xx); default 1. */
  webhookRetries?: number;
  /** Delay before a webhook retry, multiplied by the attempt number; default 200 ms. */
  webhookRetryDelayMs?: number;
  /** PRNG seed for fault injection (reproducible runs); default random. */
  seed?: number;
  /** The largest file the Media Content Service takes; default 150 MB (Twilio's Conversations limit). */
  mediaMaxBytes?: number;
  /** How long a media file's `content_direct_temporary` URL works; default 300 s. */
  mediaUrlTtlSeconds?: number;
  /** How long one second of a Studio widget's `timeout` lasts; default 1000 ms (tests shorten it rather than wait). */
  studioSecondMs?: number;
  /** Fastify request logging (pino). Default false. */
  logger?: boolean;
}

export interface Sandbox {
  url: string;
  accountSid: string;
  authToken: string;
  seeded: Seeded;
  /** The seed the fault PRNG runs with. */
  seed: number;
  setFaults(faults: FaultSettings): void;
  /** Faults injected so far, by kind (429/500/503 answers, delayed requests, dropped/delayed webhooks). */
  faultStats(): FaultStats;
  /** Outgoing webhook deliveries so far (latest 1000), for tests and debugging. */
  webhookDeliveries(): readonly DeliveryRecord[];
  /** Resolves when no background work (webhooks, flow executions) is running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The shared context every module gets: the state, the scheduler, faults and webhooks. */
function createContext(options: SandboxOptions, accountSid: string, authToken: string, seed: number): Ctx {
  const scheduler = new Scheduler();
  const faults = new FaultInjector(createRandom(seed), options.faults ? normaliseFaults(options.faults) : undefined);
  const logLines = options.logger;
  const log = (msg: string, extra?: Record<string, unknown>) => {
    if (logLines) console.error(`[sandbox] ${msg}${extra ? ' ' + JSON.stringify(extra) : ''}`);
  };
  const webhooks = new WebhookDispatcher({
    authToken,
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    retries: options.webhookRetries ?? 1,
    retryDelayMs: options.webhookRetryDelayMs,
    scheduler,
    faults,
    log,
  });
  return {
    store: new SandboxState(accountSid),
    accountSid,
    authToken,
    apiKeys: new Map(Object.entries(options.apiKeys ?? {})),
    scheduler,
    faults,
    webhooks,
    studio: createStudioFlows({ secondMs: options.studioSecondMs ?? 1000 }),
    media: new MediaStore({
      maxBytes: options.mediaMaxBytes ?? MCS_MAX_BYTES,
      directUrlTtlSeconds: options.mediaUrlTtlSeconds ?? 300,
      signingKey: authToken,
    }),
    baseUrl: '',
    log,
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID;
  const authToken = options.authToken ?? DEFAULT_AUTH_TOKEN;
  if (!/^AC[0-9a-f]{32}$/i.test(accountSid)) throw new Error(`accountSid must be AC + 32 hex digits, got ${accountSid}`);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const ctx = createContext(options, accountSid, authToken, seed);
  const { scheduler, faults, webhooks } = ctx;

  const app = createHttpServer(ctx, options.logger ?? false);
  const route = routeTable(app);
  registerConversationRoutes(route, ctx);
  registerFlexRoutes(route, ctx);
  registerTaskRouterRoutes(route, ctx);
  registerStudioRoutes(route, ctx);
  registerContentRoutes(route, ctx);
  registerIamRoutes(app, ctx);
  registerMediaRoutes(app, ctx);
  registerControlRoutes(app, ctx);

  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  ctx.baseUrl = `http://${shownHost}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: ctx.baseUrl,
    accountSid,
    authToken,
    seeded: { ...ctx.store.seeded },
    seed,
    setFaults: (f) => faults.set(f),
    faultStats: () => faults.stats(),
    webhookDeliveries: () => webhooks.deliveries,
    idle: () => scheduler.idle(),
    close: () => {
      closing ??= (async () => {
        await scheduler.close();
        await app.close();
        ctx.media.close();
      })();
      return closing;
    },
  };
}
