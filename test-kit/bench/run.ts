/**
 * `npm run bench`: throughput, added latency and memory of the middleware against the
 * Twilio stand-in (latency 0), for SQLite with one instance, Redis with one and two, and a
 * three-master Redis Cluster with one, plus the ceiling: the same message load sent straight
 * from the `twilio` library to the stand-in. The latency phase runs at half the ceiling
 * measured in the same run (machines differ by a factor of three, so a fixed rate measures
 * saturation on one and idling on another), and again at BENCH_RATE where the scenario
 * sustained it.
 *
 * Every middleware instance and the stand-in run as child processes (honest RSS, no shared
 * event loop); this process only generates load. Latency is measured inside each
 * middleware process by bench/probe.ts (see there). Instances run as `npm start` runs them
 * (the compiled build, with the node options of package.json's "start"). Knobs (environment):
 * BENCH_CONVERSATIONS (10000 opened, and kept open, per scenario), BENCH_CUSTOMERS (200
 * concurrent customers), BENCH_SECONDS (3 per phase), BENCH_RATE (500 messages/s in the
 * second latency phase), BENCH_REPLY_RATE (100 agent replies/s), BENCH_SCENARIOS (e.g.
 * "sqlite:1,redis:2,cluster:1"), BENCH_NODE_ARGS (extra node options for the instances, after npm
 * start's own so they win, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_STOP_MS (how
 * long an instance may take to stop before it is killed; profiles are written only on a
 * clean exit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createTwilioClient, PACKAGE_DIR, signInboundRequest, type TwilioClient } from '@custom-channels/middleware';
import { DEFAULT_ACCOUNT_SID as ACCOUNT_SID, DEFAULT_AUTH_TOKEN as AUTH_TOKEN } from '@custom-channels/twilio-sandbox';
import ts from 'typescript';
import { freePort } from '../src/free-port.js';
import { untilServing } from '../src/poll.js';
import { startSandboxProcess, type SandboxProcess } from '../src/sandbox-process.js';
import { startCpuWatch } from './cpu-time.js';
import { buildMiddleware, productionCommand } from '../src/production-command.js';
import { startRedisServer } from '../src/redis-server.js';
import { startRedisCluster, type RedisCluster } from '../src/redis-cluster.js';

type Engine = 'sqlite' | 'redis' | 'cluster';

const SECRET = 'bench-channel-secret-0123456789abcdef';
const LOG_HASH_KEY = 'bench-log-hash-key-0123456789abcdef';
const settings = {
  conversations: Number(process.env.BENCH_CONVERSATIONS ?? 10_000),
  customers: Number(process.env.BENCH_CUSTOMERS ?? 200),
  seconds: Number(process.env.BENCH_SECONDS ?? 3),
  rate: Number(process.env.BENCH_RATE ?? 500),
  replyRate: Number(process.env.BENCH_REPLY_RATE ?? 100),
  // Two instances on one SQLite file is a layout the kit does not support (docs/benchmarks.md says what it does under load): "sqlite:2" only when asked.
  scenarios: (process.env.BENCH_SCENARIOS ?? 'sqlite:1,redis:1,redis:2,cluster:1').split(',').map((s) => {
    const [engine, count] = s.split(':');
    return { engine: engine as Engine, instances: Number(count) };
  }),
};

// Instances run as `npm start` runs them in production: the compiled build (tsx would add ~30 MB) with its node options.
const { nodeOptions, entry } = productionCommand();
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Report {
  inboundLatencies: number[];
  deliveryLatencies: number[];
  messagesPosted: number;
  unmatched: number;
  maxRssKb: number;
  memory: NodeJS.MemoryUsage;
  loopDelayMs: { p99: number; max: number; gcPauseMax: number };
}

/** A child process: the stand-in, or a middleware instance with the probe preloaded. */
class Child {
  private counts: Array<(messagesPosted: number) => void> = [];
  private reports: Array<(report: Report) => void> = [];
  private resets: Array<() => void> = [];
  readonly exited: Promise<void>;
  private stopping = false;
  static readonly all = new Set<ChildProcess>();
  constructor(
    readonly process: ChildProcess,
    readonly url: string,
  ) {
    Child.all.add(process);
    process.once('exit', (code, signal) => {
      Child.all.delete(process);
      // A process that dies under load resets every connection it held: say which one it was.
      if (!this.stopping) log(`${url} (pid ${process.pid}) exited unexpectedly: ${signal ?? `code ${code}`}`);
    });
    process.on('message', (message: { type: string } & Report) => {
      if (message.type === 'count') this.counts.shift()?.(message.messagesPosted);
      if (message.type === 'report') this.reports.shift()?.(message);
      if (message.type === 'reset-done') this.resets.shift()?.();
    });
    this.exited = new Promise((done) => process.once('exit', () => done()));
  }
  /** Messages this instance has posted to the stand-in; cheap enough to poll every 20 ms. */
  count(): Promise<number> {
    return new Promise((done) => {
      this.counts.push(done);
      this.process.send({ type: 'count' });
    });
  }
  report(): Promise<Report> {
    return new Promise((done) => {
      this.reports.push(done);
      this.process.send({ type: 'report' });
    });
  }
  reset(): Promise<void> {
    return new Promise((done) => {
      this.resets.push(done);
      this.process.send({ type: 'reset' });
    });
  }
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.stopping = true;
    this.process.kill('SIGTERM');
    await Promise.race([this.exited, sleep(Number(process.env.BENCH_STOP_MS ?? 5000)).then(() => this.process.kill('SIGKILL'))]);
  }
}

/**
 * The probe as plain JavaScript, so the measured process loads no TypeScript loader (tsx costs
 * about 30 MB of RSS and would skew the memory figures).
 */
function compileProbe(): string {
  const source = readFileSync(fileURLToPath(new URL('./probe.ts', import.meta.url)), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const file = join(mkdtempSync(join(tmpdir(), 'cc-bench-probe-')), 'probe.mjs');
  writeFileSync(file, outputText);
  return file;
}
const probeFile = compileProbe();

async function startInstance(env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeOptions, ...nodeArgs, '--import', probeFile, entry], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, ...env, PORT: String(port), PUBLIC_BASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const wrapped = new Child(child, url);
  await untilServing(child, `${url}/readyz`, { what: 'a middleware instance', timeoutMs: 30_000 });
  return wrapped;
}

/** A channel's delivery endpoint (and the ceiling's webhook target): answers at once. */
async function startSink(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += 1;
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/deliveries`,
    received: () => received,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((done, reject) => {
    const request = httpRequest(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', () => done(response.statusCode ?? 0));
    });
    // Name the far end: a reset connection says which process dropped it.
    request.on('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`POST ${new URL(url).host} (a middleware instance): ${error.code ?? error.message}`)),
    );
    request.end(body);
  });
}

let messageCounter = 0;
function sendInbound(instance: Child, customer: number): Promise<number> {
  messageCounter += 1;
  const body = JSON.stringify({
    id: `bench-${messageCounter}`,
    from: { id: `customer-${customer}`, name: `Customer ${customer}` },
    text: `message ${messageCounter} from customer ${customer}`,
  });
  return post(`${instance.url}/inbound/chatapp`, body, { 'content-type': 'application/json', ...signInboundRequest(SECRET, body) });
}

async function totalPosted(instances: Child[]): Promise<number> {
  return (await Promise.all(instances.map((instance) => instance.count()))).reduce((sum, posted) => sum + posted, 0);
}

async function waitPosted(instances: Child[], target: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const posted = await totalPosted(instances);
    if (posted >= target) return performance.now();
    if (Date.now() > deadline) throw new Error(`only ${posted} of ${target} messages reached the stand-in`);
    await sleep(20);
  }
}

/** `count` tasks at most `concurrency` at a time. */
async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(2));

type Summary = ReturnType<typeof summary>;

interface LatencyResult {
  /** The rate asked for, and the one achieved. */
  rate: number;
  achievedRate: number;
  inbound: Summary;
  delivery: Summary;
  /** How busy the machine and the instances were during the phase (Linux). */
  cpu: { machine: number; instances: number } | undefined;
}

interface BenchmarkResult {
  name: string;
  openRate: number;
  throughput: number;
  perInstance: number;
  /** At half the ceiling, then at BENCH_RATE when this scenario sustained it. */
  latency: LatencyResult[];
  rssMb: number[];
  unmatched: number;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
  };
}

interface Stores {
  redisUrl: string;
  cluster?: RedisCluster;
}

const scenarioName = (engine: Engine, count: number) => `${engine === 'cluster' ? 'redis cluster' : engine}, ${count} instance${count > 1 ? 's' : ''}`;

/** A fresh, empty store for one scenario. */
async function databaseFor(engine: Engine, stores: Stores): Promise<string> {
  if (engine === 'sqlite') return `sqlite:${join(mkdtempSync(join(tmpdir(), 'cc-bench-')), 'middleware.sqlite')}`;
  const single = new URL(stores.redisUrl);
  const nodes = engine === 'cluster' ? stores.cluster!.masters : [{ host: single.hostname, port: Number(single.port) }];
  for (const node of nodes) {
    const redis = new Redis(node);
    await redis.flushall();
    await redis.quit();
  }
  return engine === 'cluster' ? stores.cluster!.url : stores.redisUrl;
}

async function runScenario(
  engine: Engine,
  count: number,
  stores: Stores,
  sinkUrl: string,
  channelsFile: string,
  envFile: string,
  ceiling: number,
): Promise<BenchmarkResult> {
  const name = scenarioName(engine, count);
  log(`\n== ${name}`);
  const standIn = await startSandboxProcess();
  const databaseUrl = await databaseFor(engine, stores);
  const env = {
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_API_BASE_URL: standIn.url,
    TWILIO_WORKSPACE_SID: standIn.seeded.workspaceSid,
    TWILIO_WORKFLOW_SID: standIn.seeded.workflowSid,
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    CHANNELS_FILE: channelsFile,
    CHANNEL_CHATAPP_SECRET: SECRET,
    CHANNEL_CHATAPP_DELIVERY_URL: sinkUrl,
    LOG_HASH_KEY,
    ENV_FILE: envFile,
  };
  const instances: Child[] = [];
  // Each customer's messages alternate between the instances.
  const instanceFor = (message: number) => instances[message % count]!;
  const admin = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: standIn.url });
  try {
    for (let i = 0; i < count; i += 1) instances.push(await startInstance(env));
    // 1. Open conversations: each customer's first message creates one (conversation, participant, webhook, interaction).
    let started = performance.now();
    let sent = 0;
    await pool(settings.conversations, settings.customers, async (customer) => {
      const status = await sendInbound(instanceFor(sent++), customer);
      if (status !== 202) throw new Error(`inbound answered ${status}`);
    });
    await waitPosted(instances, settings.conversations, 60_000);
    const openRate = settings.conversations / ((performance.now() - started) / 1000);
    log(`opened ${settings.conversations} conversations at ${openRate.toFixed(0)}/s`);

    // 2. Sustained throughput: N customers, each sending its next message as soon as the previous is accepted;
    //    the rate counts until every accepted message has reached the stand-in.
    const before = await totalPosted(instances);
    let accepted = 0;
    started = performance.now();
    const until = started + settings.seconds * 1000;
    await Promise.all(
      Array.from({ length: settings.customers }, async (_, customer) => {
        let n = customer;
        while (performance.now() < until) {
          if ((await sendInbound(instanceFor(n++), customer)) === 202) accepted += 1;
        }
      }),
    );
    const acceptRate = accepted / ((performance.now() - started) / 1000);
    const drained = await waitPosted(instances, before + accepted, 120_000);
    const throughput = accepted / ((drained - started) / 1000);
    log(`throughput: ${accepted} messages, accepted at ${acceptRate.toFixed(0)}/s, sustained (until posted) ${throughput.toFixed(0)}/s`);

    // 3. Latency at half the ceiling, then at BENCH_RATE if this scenario sustained it: messages spread over
    //    many customers (no customer waits on its own previous message), and agents' replies posted to
    //    conversations (webhook -> delivery).
    const conversations = (await admin.conversations.v1.conversations.list({ limit: 100, pageSize: 100 })).map((conversation) => conversation.sid);
    const rates = [Math.round(ceiling / 2), ...(throughput >= settings.rate ? [settings.rate] : [])];
    if (throughput < settings.rate) log(`latency at ${settings.rate} msg/s skipped: this scenario sustained ${throughput.toFixed(0)}/s`);
    const latency: LatencyResult[] = [];
    let reports: Report[] = [];
    for (const rate of rates) {
      const phase = await latencyPhase(instances, instanceFor, admin, conversations, rate, standIn);
      latency.push(phase.result);
      reports = phase.reports;
    }
    const rssMb = reports.map((report) => report.maxRssKb / 1024);
    log(`peak RSS: ${rssMb.map((mb) => `${mb.toFixed(0)} MB`).join(', ')}`);
    const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
    for (const { memory } of reports)
      log(`  at the end: rss ${mb(memory.rss)}, V8 heap ${mb(memory.heapUsed)} used of ${mb(memory.heapTotal)}, external ${mb(memory.external)}`);
    for (const { loopDelayMs } of reports)
      log(
        `  event loop delay in the latency phase: p99 ${ms(loopDelayMs.p99)} ms, max ${ms(loopDelayMs.max)} ms; longest GC pause ${ms(loopDelayMs.gcPauseMax)} ms`,
      );
    return {
      name,
      openRate,
      throughput,
      perInstance: throughput / count,
      latency,
      rssMb,
      unmatched: reports.reduce((sum, report) => sum + report.unmatched, 0),
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await standIn.close();
  }
}

/** Messages at `rate` and agents' replies at BENCH_REPLY_RATE for BENCH_SECONDS; latencies as the instances' probes saw them. */
async function latencyPhase(
  instances: Child[],
  instanceFor: (message: number) => Child,
  admin: TwilioClient,
  conversations: string[],
  rate: number,
  standIn: SandboxProcess,
): Promise<{ result: LatencyResult; reports: Report[] }> {
  // Every message the earlier phases posted brings a webhook back to the instances, and the
  // stand-in sends them after answering: a phase that started before they were all delivered
  // would measure their backlog along with its own load.
  await standIn.idle();
  await Promise.all(instances.map((instance) => instance.reset()));
  const cpuUse = startCpuWatch([...instances.map((instance) => instance.process.pid!), standIn.pid, process.pid]);
  const base = await totalPosted(instances);
  const total = rate * settings.seconds;
  const replies = settings.replyRate * settings.seconds;
  const latencyCustomers = Math.min(settings.conversations, rate * 2);
  const started = performance.now();
  const inflight: Array<Promise<unknown>> = [];
  let issued = 0;
  let repliesIssued = 0;
  while (issued < total) {
    const elapsed = (performance.now() - started) / 1000;
    const due = Math.min(total, Math.floor(elapsed * rate));
    for (; issued < due; issued += 1) inflight.push(sendInbound(instanceFor(issued), issued % latencyCustomers));
    const repliesDue = Math.min(replies, Math.floor(elapsed * settings.replyRate));
    for (; repliesIssued < repliesDue; repliesIssued += 1) {
      inflight.push(
        admin.conversations.v1
          .conversations(conversations[repliesIssued % conversations.length]!)
          .messages.create({ author: 'agent@example.com', body: `reply ${repliesIssued}` })
          .catch((error: NodeJS.ErrnoException) => {
            throw new Error(`an agent reply to the stand-in: ${error.code ?? error.message}`);
          }),
      );
    }
    await sleep(2);
  }
  await Promise.all(inflight);
  const achievedRate = total / ((performance.now() - started) / 1000);
  const used = cpuUse();
  await waitPosted(instances, base + total, 60_000);
  // The replies' webhooks wait behind the messages' own; then their deliveries go out.
  await standIn.idle();
  await sleep(500);
  const reports = await Promise.all(instances.map((instance) => instance.report()));
  const inbound = summary(reports.flatMap((report) => report.inboundLatencies));
  const delivery = summary(reports.flatMap((report) => report.deliveryLatencies));
  log(
    `latency at ${rate} msg/s asked, ${achievedRate.toFixed(0)} achieved: inbound→Twilio p50 ${ms(inbound.p50)} p95 ${ms(inbound.p95)} p99 ${ms(inbound.p99)} ms (n=${inbound.n}); webhook→delivery p50 ${ms(delivery.p50)} p95 ${ms(delivery.p95)} p99 ${ms(delivery.p99)} ms (n=${delivery.n})`,
  );
  const cpu = used && { machine: used.machine, instances: used.processes.slice(0, instances.length).reduce((sum, cores) => sum + cores, 0) };
  if (used) {
    const [standIn, generator] = used.processes.slice(instances.length);
    log(
      `  CPU during the phase: machine ${(used.machine * 100).toFixed(0)}% busy of ${cpus().length} cores; instances ${cpu!.instances.toFixed(2)} cores, stand-in ${standIn!.toFixed(2)}, load generator ${generator!.toFixed(2)}`,
    );
  }
  return { result: { rate, achievedRate, inbound, delivery, cpu }, reports };
}

/** The same message load straight from the twilio library: N concurrent customers posting to their conversations. */
async function runCeiling(sinkUrl: string): Promise<number> {
  log('\n== ceiling: the twilio library straight to the stand-in');
  const standIn = await startSandboxProcess();
  try {
    const client: TwilioClient = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: standIn.url,
    });
    const conversations: string[] = [];
    await pool(settings.customers, 50, async (customer) => {
      const conversation = await client.conversations.v1.conversations.create({ friendlyName: `Customer ${customer}` });
      await client.conversations.v1.conversations(conversation.sid).participants.create({ identity: `chatapp_${customer}` });
      // The same webhook the middleware adds, so the stand-in does the same work per message.
      await client.conversations.v1.conversations(conversation.sid).webhooks.create({
        target: 'webhook',
        'configuration.url': sinkUrl,
        'configuration.method': 'post',
        'configuration.filters': ['onMessageAdded'],
      });
      conversations.push(conversation.sid);
    });
    let posted = 0;
    const started = performance.now();
    const until = started + settings.seconds * 1000;
    await Promise.all(
      conversations.map(async (sid, customer) => {
        let n = 0;
        while (performance.now() < until) {
          await client.conversations.v1.conversations(sid).messages.create({
            author: `chatapp_${customer}`,
            body: `message ${n++}`,
            attributes: JSON.stringify({ externalId: `ceiling-${customer}-${n}` }),
            xTwilioWebhookEnabled: 'true',
          });
          posted += 1;
        }
      }),
    );
    const rate = posted / ((performance.now() - started) / 1000);
    log(`ceiling: ${posted} messages at ${rate.toFixed(0)}/s`);
    return rate;
  } finally {
    await standIn.close();
  }
}

async function main(): Promise<void> {
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  const begun = performance.now();
  log('building the middleware (npm run build) ...');
  buildMiddleware();
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-'));
  const channelsFile = join(dir, 'channels.json');
  writeFileSync(
    channelsFile,
    JSON.stringify({
      channels: [
        {
          channelType: 'chatapp',
          displayName: 'Chat App',
          color: '#1F6FEB',
          icon: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>',
          adapter: 'webhook',
        },
      ],
    }),
  );
  const envFile = join(dir, 'empty.env');
  writeFileSync(envFile, '');
  const redis = await startRedisServer({ appendFsync: 'everysec' });
  const cluster = settings.scenarios.some(({ engine }) => engine === 'cluster') ? await startRedisCluster() : undefined;
  const sink = await startSink();
  const results: BenchmarkResult[] = [];
  const failures: string[] = [];
  let ceiling = Number.NaN;
  try {
    ceiling = await runCeiling(sink.url);
    for (const { engine, instances } of settings.scenarios) {
      try {
        results.push(await runScenario(engine, instances, { redisUrl: redis.url, cluster }, sink.url, channelsFile, envFile, ceiling));
      } catch (error) {
        const name = scenarioName(engine, instances);
        log(`${name} failed: ${(error as Error).message}`);
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
  } finally {
    await sink.close();
    await redis.stop();
    await cluster?.stop();
    agent.destroy();
  }

  const cpu = cpus()[0]?.model ?? 'unknown';
  const lines = [
    `Machine: ${cpus().length} CPUs (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${new Date().toISOString()}`,
    `Load: ${settings.conversations} conversations opened, ${settings.customers} concurrent customers, ${settings.seconds} s phases, latency phases at half the ceiling (${Math.round(ceiling / 2)} messages/s) and at ${settings.rate} messages/s where sustained, each + ${settings.replyRate} agent replies/s`,
    `Ceiling (twilio library straight to the stand-in, ${settings.customers} concurrent customers): ${ceiling.toFixed(0)} messages/s`,
    '',
    '| Scenario | Conversations opened/s | Sustained inbound msg/s | per instance | of ceiling | Latency phase (asked / achieved msg/s) | Inbound→Twilio p50 / p95 / p99 (ms) | Webhook→delivery p50 / p95 / p99 (ms) | Machine busy / cores the instances used, in the phase | Peak RSS per instance (MB) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.flatMap((r) =>
      r.latency.map(
        (phase, index) =>
          `| ${index === 0 ? r.name : ''} | ${index === 0 ? r.openRate.toFixed(0) : ''} | ${index === 0 ? r.throughput.toFixed(0) : ''} | ${index === 0 ? r.perInstance.toFixed(0) : ''} | ${index === 0 ? (r.throughput / ceiling).toFixed(2) : ''} | ${phase.rate} / ${phase.achievedRate.toFixed(0)} | ${ms(phase.inbound.p50)} / ${ms(phase.inbound.p95)} / ${ms(phase.inbound.p99)} (n=${phase.inbound.n}) | ${ms(phase.delivery.p50)} / ${ms(phase.delivery.p95)} / ${ms(phase.delivery.p99)} (n=${phase.delivery.n}) | ${phase.cpu ? `${(phase.cpu.machine * 100).toFixed(0)}% / ${phase.cpu.instances.toFixed(2)}` : 'n/a'} | ${index === 0 ? r.rssMb.map((mb) => mb.toFixed(0)).join(', ') : ''} |`,
      ),
    ),
    ...failures.map((failure) => `| ${failure.split(':')[0]} | failed: ${failure.slice(failure.indexOf(':') + 2)} |`),
    '',
    `Whole run: ${((performance.now() - begun) / 1000).toFixed(0)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

process.on('exit', () => {
  for (const child of Child.all) child.kill('SIGKILL');
});
main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
