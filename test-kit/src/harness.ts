import { after, describe } from 'node:test';
import { Writable } from 'node:stream';
import { startSandbox, type Sandbox } from '@custom-channels/twilio-sandbox';
import {
  createLogger,
  createTwilioClient,
  loadConfig,
  type RunningMiddleware,
  signInboundRequest,
  startMiddleware,
  type TwilioClient,
} from '@custom-channels/middleware';
import { freePort } from './free-port.js';
import { postOnFreshConnection } from './fresh-connection.js';
import { middlewareEnvironment, type FlexRouting } from './middleware-env.js';
import { startReceiver, type Receiver } from './receiver.js';
import { SandboxControl } from './sandbox-control.js';
import { twilioClientFor } from '@custom-channels/twilio-sandbox/twilio-client';

export const CHANNEL_SECRET = 'chatapp-secret-for-tests-0123456789';

export interface HarnessOptions {
  routing: FlexRouting;
  /** More environment variables for the middleware (e.g. ADMIN_TOKEN). */
  env?: Record<string, string>;
  /** Changes to the quick in-process configuration (e.g. a retry policy that lets a long Retry-After be seen). */
  configure?: (config: ReturnType<typeof inProcessConfig>) => ReturnType<typeof inProcessConfig>;
}

/**
 * The stand-in, a channel's delivery endpoint, and the middleware in-process on a free
 * port, wired with the real `twilio` library. Counts every request the middleware makes
 * to Twilio and keeps every log line it writes.
 */
export async function startHarness(options: HarnessOptions) {
  // Region and edge settings would rewrite the stand-in's host.
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  // Seeded: what faults a test sets are drawn the same way on every run.
  const sandbox: Sandbox = await startSandbox({ port: 0, logger: false, seed: 1 });
  const receiver: Receiver = await startReceiver(CHANNEL_SECRET);
  // The tests' own look at Twilio's side, through the twilio library.
  const admin = twilioClientFor(sandbox);
  const control = new SandboxControl(sandbox.url);
  const env: Record<string, string> = {
    ...(await middlewareEnvironment({
      sandbox,
      port: await freePort(),
      channelSecret: CHANNEL_SECRET,
      deliveryUrl: receiver.url,
      routing: options.routing,
    })),
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const config = (options.configure ?? ((quick) => quick))(inProcessConfig(env));
  const logLines: string[] = [];
  const logger = loggerInto(logLines, config.logLevel);
  const twilioRequests: Array<{ method: string; uri: string }> = [];
  const lostAnswers: LostAnswers = { matches: () => false, remaining: 0 };
  let middleware: RunningMiddleware;
  const start = async () => {
    const twilioClient = interceptingRequests(createTwilioClient({ ...config.twilio }), twilioRequests, lostAnswers);
    middleware = await startMiddleware(config, { twilioClient, logger });
  };
  await start();

  return {
    sandbox,
    receiver,
    admin,
    control,
    env,
    config,
    logLines,
    twilioRequests,
    get middleware() {
      return middleware;
    },
    /**
     * POSTs to /inbound/:channelType, signed with the channel secret now (or at `signedAt`, unix
     * seconds). `signature` sends only a legacy X-Hub-Signature-256 with that value (null: no
     * signature at all); `headers` are sent instead of signing (a captured or forged request).
     */
    async send(body: unknown, init: SendOptions = {}) {
      const raw = init.rawBody ?? JSON.stringify(body);
      const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json', ...signatureHeaders(raw, init) };
      return postOnFreshConnection(`${middleware.url}/inbound/${init.channelType ?? 'chatapp'}`, headers, raw);
    },
    /** The next `count` matching requests reach Twilio, but the middleware sees a timeout instead of the answer. */
    loseAnswers(count: number, matches: (request: { method: string; uri: string }) => boolean) {
      Object.assign(lostAnswers, { matches, remaining: count });
    },
    async restart() {
      await middleware.stop();
      await start();
    },
    async stop() {
      await middleware.stop();
      await receiver.close();
      await sandbox.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

export interface SendOptions {
  channelType?: string;
  /** A legacy X-Hub-Signature-256 value to send instead of the timestamped signature; null: send no signature. */
  signature?: string | null;
  /** Unix seconds to sign with instead of now. */
  signedAt?: number;
  /** Headers to send instead of signing. */
  headers?: Record<string, string>;
  rawBody?: string;
  contentType?: string;
}

/** The signature headers `send` puts on a request. */
export function signatureHeaders(raw: string, init: Pick<SendOptions, 'signature' | 'signedAt' | 'headers'>, secret = CHANNEL_SECRET): Record<string, string> {
  if (init.headers) return init.headers;
  if (init.signature === null) return {};
  if (init.signature !== undefined) return { 'x-hub-signature-256': init.signature };
  return signInboundRequest(secret, raw, init.signedAt);
}

/** The configuration of a middleware in this process: retries and outbox polls within milliseconds, so tests are quick. */
export function inProcessConfig(env: Record<string, string>) {
  const fast = { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 50 };
  return { ...loadConfig(env), retry: { toFlex: fast, toChannel: fast }, outboxPollIntervalMs: 20 };
}

/** A logger that keeps every line it writes in `lines`, after `prefix`. */
export function loggerInto(lines: string[], level: string, prefix = '') {
  return createLogger(
    level,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(`${prefix}${chunk.toString('utf8')}`);
        callback();
      },
    }),
  );
}

/** A suite whose tests share one harness, started when the suite is declared and stopped after its last test. */
export function describeWithHarness(name: string, options: HarnessOptions, tests: (harness: Harness) => void): void {
  describe(name, async () => {
    const harness = await startHarness(options);
    after(() => harness.stop());
    tests(harness);
  });
}

interface LostAnswers {
  matches: (request: { method: string; uri: string }) => boolean;
  remaining: number;
}

/** Records every request the twilio library sends (to prove when nothing reached Twilio), and can lose answers. */
function interceptingRequests(client: TwilioClient, requests: Array<{ method: string; uri: string }>, lost: LostAnswers): TwilioClient {
  const send = client.request.bind(client);
  client.request = async (opts) => {
    const request = { method: String(opts.method).toUpperCase(), uri: String(opts.uri) };
    requests.push(request);
    const response = await send(opts);
    if (lost.remaining > 0 && lost.matches(request)) {
      lost.remaining -= 1;
      throw Object.assign(new Error('timeout of 15000ms exceeded'), { code: 'ECONNABORTED' });
    }
    return response;
  };
  return client;
}
