/**
 * `npm run bench`: throughput, added latency and memory of the middleware against the
 * Twilio stand-in (latency 0), for SQLite with one instance, Redis with one and two, and a
 * three-master Redis Cluster with one, plus the ceiling: the same message load sent straight
 * from the `twilio` library to the stand-in, measured before the scenarios and again after
 * them (the ratios are against the mean of the two). The latency phase runs at half the
 * ceiling measured before (machines differ by a factor of three, so a fixed rate measures
 * saturation on one and idling on another), and again at BENCH_RATE where the scenario
 * sustained it.
 *
 * Each Redis scenario starts on empty, compacted append-only files, and each measured phase
 * after a rewrite of them (aof-compaction.ts says why; stderr prints what it took).
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
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createTwilioClient, type TwilioClient } from '@custom-channels/middleware';
import { DEFAULT_ACCOUNT_SID as ACCOUNT_SID, DEFAULT_AUTH_TOKEN as AUTH_TOKEN } from '@custom-channels/twilio-sandbox';
import { startSandboxProcess, type SandboxProcess } from '../src/sandbox-process.js';
import { buildMiddleware } from '../src/production-command.js';
import { startRedisServer } from '../src/redis-server.js';
import { startRedisCluster, type RedisCluster } from '../src/redis-cluster.js';
import { compactAppendOnlyFiles, type RedisNode } from './aof-compaction.js';
import { startCpuWatch } from './cpu-time.js';
import { Child, startInstance, type Report } from './instances.js';
import { choosePinning } from './pinning.js';
import { summariseProfiles } from './profile-summary.js';
import { formatResults, summary, ms, type BenchmarkResult, type Ceiling, type Floor, type LatencyResult, ceilingOf, ceilingLine, floorLine } from './report.js';
import { startSink } from './sink.js';
import { runCeiling } from './ceiling.js';
import { runFloor } from './floor.js';
import { pool } from './pool.js';
import { agentReply, closeConnections, inboundMessage, send, takeResentCount, type PreparedRequest } from './prepared-requests.js';

type Engine = 'sqlite' | 'redis' | 'cluster';

const SECRET = 'bench-channel-secret-0123456789abcdef';
const LOG_HASH_KEY = 'bench-log-hash-key-0123456789abcdef';
const settings = {
  conversations: Number(process.env.BENCH_CONVERSATIONS ?? 10_000),
  customers: Number(process.env.BENCH_CUSTOMERS ?? 200),
  seconds: Number(process.env.BENCH_SECONDS ?? 3),
  rate: Number(process.env.BENCH_RATE ?? 500),
  replyRate: Number(process.env.BENCH_REPLY_RATE ?? 100),
  deliveries: Number(process.env.BENCH_DELIVERIES ?? 1000),
  // Two instances on one SQLite file is a layout the kit does not support (docs/benchmarks.md says what it does under load): "sqlite:2" only when asked.
  scenarios: (process.env.BENCH_SCENARIOS ?? 'sqlite:1,redis:1,redis:2,cluster:1').split(',').map((s) => {
    const [engine, count] = s.split(':');
    return { engine: engine as Engine, instances: Number(count) };
  }),
};

const profiling = process.argv.includes('--profile');
const profilesDir = mkdtempSync(join(tmpdir(), 'cc-bench-profiles-'));
const nodeArgs = process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
// Writing a profile on exit takes seconds: a profiled instance gets longer to stop.
const stopGraceMs = Number(process.env.BENCH_STOP_MS ?? (profiling ? 60_000 : 5000));
const pinning = choosePinning();
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const log = (line: string) => process.stderr.write(`${line}\n`);

let messageCounter = 0;
function inboundFrom(instance: Child, customer: number): PreparedRequest {
  messageCounter += 1;
  return inboundMessage(instance.url, SECRET, {
    id: `bench-${messageCounter}`,
    from: { id: `customer-${customer}`, name: `Customer ${customer}` },
    text: `message ${messageCounter} from customer ${customer}`,
  });
}
const sendInbound = (instance: Child, customer: number) => send(inboundFrom(instance, customer));

async function totals(instances: Child[]): Promise<{ posted: number; delivered: number }> {
  const counts = await Promise.all(instances.map((instance) => instance.count()));
  return {
    posted: counts.reduce((sum, count) => sum + count.messagesPosted, 0),
    delivered: counts.reduce((sum, count) => sum + count.deliveriesSent, 0),
  };
}
const totalPosted = async (instances: Child[]) => (await totals(instances)).posted;

/** Resolves (with the time) once the instances' `counted` total reaches `target`. */
async function waitFor(instances: Child[], counted: 'posted' | 'delivered', target: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reached = (await totals(instances))[counted];
    if (reached >= target) return performance.now();
    if (Date.now() > deadline) throw new Error(`only ${reached} of ${target} messages were ${counted}`);
    await sleep(20);
  }
}
const waitPosted = (instances: Child[], target: number, timeoutMs: number) => waitFor(instances, 'posted', target, timeoutMs);

interface Stores {
  redisUrl: string;
  cluster?: RedisCluster;
}

const scenarioName = (engine: Engine, count: number) => `${engine === 'cluster' ? 'redis cluster' : engine}, ${count} instance${count > 1 ? 's' : ''}`;

/** The Redis servers a scenario's store lives on; none for SQLite. */
function redisNodesFor(engine: Engine, stores: Stores): RedisNode[] {
  if (engine === 'sqlite') return [];
  if (engine === 'cluster') return stores.cluster!.masters;
  const single = new URL(stores.redisUrl);
  return [{ host: single.hostname, port: Number(single.port) }];
}

/** A fresh, empty store for one scenario, its append-only files compacted as a new server's would be. */
async function databaseFor(engine: Engine, stores: Stores): Promise<string> {
  if (engine === 'sqlite') return `sqlite:${join(mkdtempSync(join(tmpdir(), 'cc-bench-')), 'middleware.sqlite')}`;
  const nodes = redisNodesFor(engine, stores);
  for (const node of nodes) {
    const redis = new Redis(node);
    await redis.flushall();
    await redis.quit();
  }
  await compactAppendOnlyFiles(nodes);
  return engine === 'cluster' ? stores.cluster!.url : stores.redisUrl;
}

/** Keeps Redis's own append-only file rewrite out of the phase about to be measured (aof-compaction.ts). */
async function compactBefore(phase: string, nodes: RedisNode[]): Promise<void> {
  if (nodes.length === 0) return;
  const { waitedMs, aofBytesBefore } = await compactAppendOnlyFiles(nodes);
  log(`  before ${phase}: Redis's append-only files rewritten (${(aofBytesBefore / 1_048_576).toFixed(0)} MB before) in ${waitedMs.toFixed(0)} ms`);
}

const profileDirFor = (scenario: string) => join(profilesDir, scenario.replace(/[^a-z0-9]+/g, '-'));

/** CPU time the watched processes spent, in microseconds per message; NaN where /proc is missing. */
function cpuMicrosPer(used: ReturnType<ReturnType<typeof startCpuWatch>>, messages: number): number {
  if (!used || messages === 0) return Number.NaN;
  return (used.processSeconds.reduce((sum, seconds) => sum + seconds, 0) * 1e6) / messages;
}

/** Agents' replies, `count` of them over `conversations` in turn, 50 at a time; resolves once each is delivered. */
async function deliverReplies(instances: Child[], admin: TwilioClient, conversations: string[], count: number, label: string): Promise<void> {
  const before = (await totals(instances)).delivered;
  await pool(count, 50, async (reply) => {
    await admin.conversations.v1
      .conversations(conversations[reply % conversations.length]!)
      .messages.create({ author: 'agent@example.com', body: `${label} ${reply}` });
  });
  await waitFor(instances, 'delivered', before + count, 60_000);
}

/**
 * The instances' CPU per webhook→delivery: BENCH_DELIVERIES agents' replies alone, posted
 * over REST as fast as 50 at a time go, counted until the instances have sent each delivery.
 * One reply per conversation goes first, uncounted: as the ceiling's posts follow the
 * library's own setup requests, the measured deliveries find their path compiled and connected.
 */
async function deliveryCpu(instances: Child[], admin: TwilioClient, conversations: string[], standIn: SandboxProcess): Promise<number> {
  await standIn.idle();
  await deliverReplies(instances, admin, conversations, conversations.length, 'first reply');
  await standIn.idle();
  const used = startCpuWatch(instances.map((instance) => instance.process.pid!));
  await deliverReplies(instances, admin, conversations, settings.deliveries, 'reply');
  const cpuPerDeliveryUs = cpuMicrosPer(used(), settings.deliveries);
  log(`CPU per webhook→delivery: ${cpuPerDeliveryUs.toFixed(0)} µs (${settings.deliveries} agents' replies, after one per conversation uncounted)`);
  return cpuPerDeliveryUs;
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
    const profile = profiling ? [`--cpu-prof`, `--cpu-prof-dir=${profileDirFor(name)}`] : [];
    // Each latency phase is profiled on its own too (bench/probe.ts).
    const phaseProfile: Record<string, string> = profiling ? { BENCH_PHASE_PROFILE_DIR: profileDirFor(name) } : {};
    if (profiling) mkdirSync(profileDirFor(name), { recursive: true });
    for (let i = 0; i < count; i += 1) instances.push(await startInstance({ ...env, ...phaseProfile }, pinning, [...nodeArgs, ...profile]));
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
    const redisNodes = redisNodesFor(engine, stores);
    await compactBefore('the sustained phase', redisNodes);
    const before = await totalPosted(instances);
    let accepted = 0;
    const inboundCpu = startCpuWatch(instances.map((instance) => instance.process.pid!));
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
    // Each posted message comes back as a webhook the instance reads and drops: part of carrying it.
    await standIn.idle();
    const cpuPerInboundUs = cpuMicrosPer(inboundCpu(), accepted);
    log(
      `throughput: ${accepted} messages, accepted at ${acceptRate.toFixed(0)}/s, sustained (until posted) ${throughput.toFixed(0)}/s; CPU per inbound message ${cpuPerInboundUs.toFixed(0)} µs`,
    );

    // 3. CPU per delivery, before the latency phases: its agents' replies bring the delivery path to the
    //    state a running service keeps it in (compiled, connected to the channel). It replies in up to 100
    //    conversations and the latency phases in as many others, whose first reply still looks its session up.
    const listed = (await admin.conversations.v1.conversations.list({ limit: 200, pageSize: 100 })).map((conversation) => conversation.sid);
    const half = Math.ceil(listed.length / 2);
    const [deliveryConversations, conversations] = listed.length > 1 ? [listed.slice(0, half), listed.slice(half)] : [listed, listed];
    await compactBefore('the deliveries', redisNodes);
    const cpuPerDeliveryUs = await deliveryCpu(instances, admin, deliveryConversations, standIn);

    // 4. Latency at half the ceiling, then at BENCH_RATE if this scenario sustained it: messages spread over
    //    many customers (no customer waits on its own previous message), and agents' replies posted to
    //    conversations (webhook -> delivery).
    const rates = [Math.round(ceiling / 2), ...(throughput >= settings.rate ? [settings.rate] : [])];
    if (throughput < settings.rate) log(`latency at ${settings.rate} msg/s skipped: this scenario sustained ${throughput.toFixed(0)}/s`);
    const latency: LatencyResult[] = [];
    let reports: Report[] = [];
    for (const rate of rates) {
      await standIn.idle();
      await compactBefore(`the latency phase at ${rate}/s`, redisNodes);
      const phase = await latencyPhase(instances, instanceFor, conversations, rate, standIn);
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
      cpuPerInboundUs,
      cpuPerDeliveryUs,
      latency,
      rssMb,
      unmatched: reports.reduce((sum, report) => sum + report.unmatched, 0),
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop(stopGraceMs)));
    await standIn.close();
  }
}

/** Messages at `rate` and agents' replies at BENCH_REPLY_RATE for BENCH_SECONDS; latencies as the instances' probes saw them. */
async function latencyPhase(
  instances: Child[],
  instanceFor: (message: number) => Child,
  conversations: string[],
  rate: number,
  standIn: SandboxProcess,
): Promise<{ result: LatencyResult; reports: Report[] }> {
  // Every message the earlier phases posted brings a webhook back to the instances, and the
  // stand-in sends them after answering: a phase that started before they were all delivered
  // would measure their backlog along with its own load.
  await standIn.idle();
  const total = rate * settings.seconds;
  const replies = settings.replyRate * settings.seconds;
  const latencyCustomers = Math.min(settings.conversations, rate * 2);
  const messages = Array.from({ length: total }, (_, n) => inboundFrom(instanceFor(n), n % latencyCustomers));
  const agentReplies = Array.from({ length: replies }, (_, n) => agentReply(standIn, conversations[n % conversations.length]!, `reply ${n}`));
  const replied = async (reply: PreparedRequest) => {
    const status = await send(reply);
    if (status !== 201) throw new Error(`an agent reply to the stand-in answered ${status}`);
  };
  await Promise.all(instances.map((instance) => instance.reset()));
  const cpuUse = startCpuWatch([...instances.map((instance) => instance.process.pid!), standIn.pid, process.pid]);
  const base = await totalPosted(instances);
  const started = performance.now();
  const inflight: Array<Promise<unknown>> = [];
  let issued = 0;
  let repliesIssued = 0;
  while (issued < total) {
    const elapsed = (performance.now() - started) / 1000;
    const due = Math.min(total, Math.floor(elapsed * rate));
    for (; issued < due; issued += 1) inflight.push(send(messages[issued]!));
    const repliesDue = Math.min(replies, Math.floor(elapsed * settings.replyRate));
    for (; repliesIssued < repliesDue; repliesIssued += 1) inflight.push(replied(agentReplies[repliesIssued]!));
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
  for (const { threadCpuSeconds, gcByKind, mainThreadWaits } of reports) {
    log(
      `  an instance's CPU in the phase by thread: ${Object.entries(threadCpuSeconds)
        .filter(([, seconds]) => seconds > 0)
        .map(([thread, seconds]) => `${thread} ${seconds.toFixed(2)} s`)
        .join(', ')}; its main thread waited ${ms(mainThreadWaits.waitedMs)} ms for its core (preempted ${mainThreadWaits.preempted} times)`,
    );
    log(
      `  its garbage collections: ${Object.entries(gcByKind)
        .map(([kind, { count, totalMs, maxMs }]) => `${count} ${kind} (${ms(totalMs)} ms in all, longest ${ms(maxMs)} ms)`)
        .join(', ')}`,
    );
  }
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

async function main(): Promise<void> {
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  const begun = performance.now();
  log('building the middleware (npm run build) ...');
  buildMiddleware();
  // Redis, the sink and the stand-ins started from here on inherit the other core.
  pinning.toOtherCore(process.pid);
  log(`layout: ${pinning.description}`);
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
  const cluster = settings.scenarios.some(({ engine }) => engine === 'cluster') ? await startRedisCluster({ appendFsync: 'everysec' }) : undefined;
  const sink = await startSink();
  const ceilingSettings = { sinkUrl: sink.url, customers: settings.customers, seconds: settings.seconds, pinning, log };
  const results: BenchmarkResult[] = [];
  const failures: string[] = [];
  let ceiling: Ceiling;
  let floor: Floor;
  try {
    const before = await runCeiling(ceilingSettings, 'before the scenarios');
    floor = await runFloor({ ...ceilingSettings, deliveries: settings.deliveries });
    for (const { engine, instances } of settings.scenarios) {
      try {
        results.push(await runScenario(engine, instances, { redisUrl: redis.url, cluster }, sink.url, channelsFile, envFile, before.rate));
      } catch (error) {
        const name = scenarioName(engine, instances);
        log(`${name} failed: ${(error as Error).message}`);
        failures.push(`${name}: ${(error as Error).message}`);
      } finally {
        const resent = takeResentCount();
        if (resent > 0) log(`${scenarioName(engine, instances)}: ${resent} customer messages sent again after the instance reset their connection`);
      }
    }
    ceiling = ceilingOf(before, await runCeiling(ceilingSettings, 'after the scenarios'));
  } finally {
    await sink.close();
    await redis.stop();
    await cluster?.stop();
    closeConnections();
  }

  const cpu = cpus()[0]?.model ?? 'unknown';
  const lines = [
    `Machine: ${cpus().length} CPUs (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${new Date().toISOString()}`,
    `Layout: ${pinning.description}`,
    `Load: ${settings.conversations} conversations opened, ${settings.customers} concurrent customers, ${settings.seconds} s phases, latency phases at half the ceiling measured before the scenarios (${Math.round(ceiling.before.rate / 2)} messages/s) and at ${settings.rate} messages/s where sustained, each + ${settings.replyRate} agent replies/s; CPU per delivery over ${settings.deliveries} agents' replies`,
    ceilingLine(ceiling, settings.customers),
    floorLine(floor, ceiling),
    '',
    ...formatResults(results, ceiling, floor, failures),
    '',
    ...(profiling
      ? results.flatMap((result) => [
          `Profile of ${result.name} (self time by module, share of busy time):`,
          ...summariseProfiles(profileDirFor(result.name)),
          '',
        ])
      : []),
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
