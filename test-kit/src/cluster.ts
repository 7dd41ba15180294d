import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { PACKAGE_DIR, type RunningMiddleware, signInboundRequest, startMiddleware } from '@custom-channels/middleware';
import { startSandbox, type Sandbox } from '@custom-channels/twilio-sandbox';
import { freePort } from './free-port.js';
import { inProcessConfig, loggerInto } from './harness.js';
import { postOnFreshConnection } from './fresh-connection.js';
import { middlewareEnvironment } from './middleware-env.js';
import { untilServing } from './poll.js';
import { startReceiver, type Receiver } from './receiver.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { startRedisCluster } from './redis-cluster.js';
import { SandboxControl } from './sandbox-control.js';
import { twilioClientFor } from '@custom-channels/twilio-sandbox/twilio-client';

export const CLUSTER_CHANNEL_SECRET = 'chatapp-secret-for-scale-tests-0123';

/** Which instances a request to the balancer goes to. */
export type Route = 'round-robin' | 'all' | number;

/**
 * A loopback load balancer in front of the instances: PUBLIC_BASE_URL points at it, so
 * Twilio's webhooks land on whichever instance the test chooses. `round-robin` skips
 * instances that refuse the connection (a health-checking balancer would); `all` sends
 * the same request to every live instance at once (a retried webhook landing on another
 * instance while the first is still answering) and answers with the first reply.
 */
export async function startBalancer() {
  const targets: string[] = [];
  let next = 0;
  let webhookRoute: Route = 'round-robin';
  const forwarded: Array<{ path: string; target: string; status: number }> = [];

  const forward = (target: string, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolveForward, reject) => {
      const { host: _host, connection: _connection, ...rest } = headers;
      const request = httpRequest(`${target}${path}`, { method, headers: rest, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolveForward({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = request.url ?? '/';
      const route = path.startsWith('/twilio/') ? webhookRoute : 'round-robin';
      const attempt = async () => {
        if (route === 'all') {
          const answers = await Promise.allSettled(targets.map((target) => forward(target, request.method!, path, request.headers, body)));
          answers.forEach((answer, index) =>
            forwarded.push({
              path,
              target: targets[index]!,
              status: answer.status === 'fulfilled' ? answer.value.status : 0,
            }),
          );
          const first = answers.find((answer) => answer.status === 'fulfilled');
          if (!first) throw new Error('no instance answered');
          return first.value;
        }
        const order = typeof route === 'number' ? [route] : targets.map((_, i) => (next + i) % targets.length);
        if (route === 'round-robin') next = (next + 1) % Math.max(1, targets.length);
        let lastError: unknown;
        for (const index of order) {
          try {
            const answer = await forward(targets[index]!, request.method!, path, request.headers, body);
            forwarded.push({ path, target: targets[index]!, status: answer.status });
            return answer;
          } catch (error) {
            lastError = error;
          }
        }
        throw lastError ?? new Error('no instance');
      };
      attempt().then(
        (answer) => {
          const { connection: _c, 'transfer-encoding': _t, ...headers } = answer.headers;
          response.writeHead(answer.status, headers).end(answer.body);
        },
        () => response.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    forwarded,
    /** Where Twilio webhooks (`/twilio/...`) go from now on. */
    routeWebhooks(route: Route) {
      webhookRoute = route;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export type Balancer = Awaited<ReturnType<typeof startBalancer>>;

/** One middleware instance, in this process or in a child process (which can be killed with SIGKILL). */
export interface Instance {
  name: string;
  url: string;
  /** In-process instances only. */
  middleware?: RunningMiddleware;
  stop(): Promise<void>;
  /** Child processes only: SIGKILL, waits for the exit. */
  kill?(): Promise<void>;
}

/** The Redis the instances share: one redis-server, or a three-master Redis Cluster. */
export type SharedRedis = 'redis' | 'redis cluster';

/**
 * A real redis-server (or a real Redis Cluster), the Twilio stand-in, a channel's delivery
 * endpoint and a load balancer; middleware instances are added with `addInstance` /
 * `spawnInstance`, all on the same Redis (DATABASE_URL=redis://... or redis+cluster://...).
 */
export async function startCluster(options: { redis?: SharedRedis } = {}) {
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  const redis: Pick<RedisServer, 'url' | 'stop'> = options.redis === 'redis cluster' ? await startRedisCluster() : await startRedisServer();
  // Seeded: what faults a test sets are drawn the same way on every run.
  const sandbox: Sandbox = await startSandbox({ port: 0, logger: false, seed: 1 });
  const receiver: Receiver = await startReceiver(CLUSTER_CHANNEL_SECRET);
  const balancer = await startBalancer();
  // The tests' own look at Twilio's side, through the twilio library.
  const admin = twilioClientFor(sandbox);
  const control = new SandboxControl(sandbox.url);
  const env: Record<string, string> = {
    ...(await middlewareEnvironment({
      sandbox,
      port: 0,
      channelSecret: CLUSTER_CHANNEL_SECRET,
      deliveryUrl: receiver.url,
      databaseUrl: redis.url,
      publicBaseUrl: balancer.url,
    })),
    LOG_LEVEL: 'warn',
  };
  const instances: Instance[] = [];
  const logLines: string[] = [];

  const register = (instance: Instance) => {
    instances.push(instance);
    balancer.targets.push(instance.url);
    return instance;
  };

  return {
    redis,
    sandbox,
    receiver,
    balancer,
    admin,
    control,
    env,
    instances,
    logLines,

    /** An instance in this process (fast retries and polling, as the other end-to-end tests use). */
    async addInstance(name: string): Promise<Instance> {
      const config = inProcessConfig(env);
      const middleware = await startMiddleware(config, { logger: loggerInto(logLines, config.logLevel, `${name} `) });
      return register({ name, url: middleware.url, middleware, stop: () => middleware.stop() });
    },

    /** An instance in a child process (`npm run middleware`'s entry point), ready when /readyz says so. */
    async spawnInstance(name: string): Promise<Instance> {
      const port = await freePort();
      const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', resolve(PACKAGE_DIR, 'src/main.ts')], {
        cwd: PACKAGE_DIR,
        env: { ...process.env, ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk: Buffer) => logLines.push(`${name} ${chunk.toString('utf8')}`));
      child.stderr!.on('data', (chunk: Buffer) => logLines.push(`${name} stderr ${chunk.toString('utf8')}`));
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      const url = `http://127.0.0.1:${port}`;
      await untilServing(child, `${url}/readyz`, { what: name, timeoutMs: 30_000, output: () => logLines });
      return register({
        name,
        url,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          await exited;
        },
        async kill() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGKILL');
          await exited;
        },
      });
    },

    /** POSTs a customer message to one instance, signed; rejects on a connection error (a killed instance). */
    send(instance: Instance, body: unknown) {
      const raw = JSON.stringify(body);
      return postOnFreshConnection(
        `${instance.url}/inbound/chatapp`,
        { 'content-type': 'application/json', ...signInboundRequest(CLUSTER_CHANNEL_SECRET, raw) },
        raw,
      );
    },

    async stop() {
      await Promise.allSettled(instances.map((instance) => instance.stop()));
      await balancer.close();
      await receiver.close();
      await sandbox.close();
      await redis.stop();
    },
  };
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;

/** The stand-in's conversations whose attributes name this customer (verifying from Twilio's side). */
export async function conversationsOf(cluster: Cluster, customerName: string) {
  const all = await cluster.admin.conversations.v1.conversations.list();
  return all.filter((conversation) => (JSON.parse(conversation.attributes) as { name?: string }).name === customerName);
}

/** A conversation's messages as the stand-in holds them, oldest first. */
export async function messagesOf(cluster: Cluster, conversationSid: string) {
  const messages = await cluster.admin.conversations.v1.conversations(conversationSid).messages.list({ order: 'asc' });
  return messages.map((message) => ({
    sid: message.sid,
    author: message.author,
    body: message.body,
    externalId: (JSON.parse(message.attributes) as { externalId?: string }).externalId,
  }));
}
