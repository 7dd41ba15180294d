/**
 * Preloaded into a middleware process by the benchmark, transpiled to plain JavaScript
 * (`node --import <tmp>/probe.mjs build/src/main.js`); never loaded otherwise. It measures, inside the
 * middleware's own process, the latency the middleware adds:
 *
 *  - inbound: node's `http.server.request.start` (the request's headers parsed) to the
 *    middleware's `message-posting` probe (the twilio library is called to post it);
 *  - outbound: `http.server.request.start` of the Twilio webhook to the `delivery-sending`
 *    probe (the webhook adapter sends its POST).
 *
 * With BENCH_PHASE_PROFILE_DIR set, each latency phase (from `reset` to `report`) is also
 * CPU-profiled on its own and written there: the phase's per-message work differs from the
 * saturated phases', and a whole-run profile hides it.
 *
 * The middleware's probes (src/observability/probes.ts) name the requests. It answers
 * `{ type: 'count' }` (messages posted and deliveries sent so far: polled often, so it carries nothing else),
 * `{ type: 'report' }` and `{ type: 'reset' }` over the IPC channel.
 */
import { subscribe } from 'node:diagnostics_channel';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { ClientRequest, IncomingMessage } from 'node:http';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const receivedAt = new WeakMap<IncomingMessage, number>();
const inboundStart = new Map<string, number>();
const deliveryStart = new Map<string, number>();
let inboundLatencies: number[] = [];
let deliveryLatencies: number[] = [];
let messagesPosted = 0;
let deliveriesSent = 0;
let unmatched = 0;
const LOOP_SAMPLE_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
loopDelay.enable();
/** The histogram holds the whole interval between its timer's runs: the delay is what exceeds the sampling interval. */
const loopDelayMs = (ns: number) => Math.max(0, ns / 1e6 - LOOP_SAMPLE_MS);
let gcPauseMax = 0;
/** Collections since the last reset, by kind: how many and their pauses (ms) in all and at most. */
type GcTally = Record<string, { count: number; totalMs: number; maxMs: number }>;
let gcByKind: GcTally = {};
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcPauseMax = Math.max(gcPauseMax, entry.duration);
    const kind = GC_KINDS[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
    const tally = (gcByKind[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    tally.count += 1;
    tally.totalMs += entry.duration;
    tally.maxMs = Math.max(tally.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

subscribe('http.server.request.start', (message) => {
  receivedAt.set((message as { request: IncomingMessage }).request, now());
});

subscribe('custom-channels:inbound-received', (message) => {
  const { request, externalId } = message as { request: IncomingMessage; externalId: string };
  const at = receivedAt.get(request);
  if (at !== undefined) inboundStart.set(externalId, at);
});

subscribe('custom-channels:webhook-received', (message) => {
  const { request, messageSid } = message as { request: IncomingMessage; messageSid: string };
  const at = receivedAt.get(request);
  // Most webhooks echo the customer's own messages and lead to no delivery: keep the map bounded.
  if (deliveryStart.size > 10_000) deliveryStart.clear();
  if (at !== undefined) deliveryStart.set(messageSid, at);
});

subscribe('custom-channels:message-posting', (message) => {
  const { externalId } = message as { externalId: string };
  const started = inboundStart.get(externalId);
  if (started === undefined) return;
  inboundStart.delete(externalId);
  inboundLatencies.push(now() - started);
});

subscribe('custom-channels:delivery-sending', (message) => {
  deliveriesSent += 1;
  const { eventId } = message as { eventId: string };
  const started = deliveryStart.get(eventId);
  if (started === undefined) {
    unmatched += 1;
    return;
  }
  deliveryStart.delete(eventId);
  deliveryLatencies.push(now() - started);
});

// Messages the stand-in accepted (201), counted on node's http client channel and on undici's
// (the middleware's Twilio transport).
const isMessagePost = (method: string, path: string) => method === 'POST' && /\/Messages$/.test(path);
subscribe('http.client.request.start', (message) => {
  const request = (message as { request: ClientRequest }).request;
  if (!isMessagePost(request.method, request.path)) return;
  request.once('response', (response: IncomingMessage) => {
    if (response.statusCode === 201) messagesPosted += 1;
  });
});
subscribe('undici:request:headers', (message) => {
  const { request, response } = message as { request: { method: string; path: string }; response: { statusCode: number } };
  if (isMessagePost(request.method, request.path) && response.statusCode === 201) messagesPosted += 1;
});

/**
 * CPU seconds of the main thread and of the others by name (`/proc/self/task/<tid>/comm`:
 * V8's and libuv's helpers may all be called "node"); empty where /proc is missing.
 */
function threadCpu(): Map<string, number> {
  const byName = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return byName;
  }
  for (const tid of tasks) {
    try {
      const name = Number(tid) === process.pid ? 'main thread' : `other ${readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim()}`;
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}
/**
 * How long the main thread was ready to run but waited for its core (the second field of
 * `/proc/self/task/<pid>/schedstat`, in ns), and how often it was preempted: time the
 * latency figures spend waiting on other threads or processes, not on the middleware's work.
 */
function mainThreadWaits(): { waitedMs: number; preempted: number } {
  try {
    const waitedNs = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]);
    const preempted = Number(/nonvoluntary_ctxt_switches:\s*(\d+)/.exec(readFileSync(`/proc/self/task/${process.pid}/status`, 'utf8'))?.[1]);
    return { waitedMs: waitedNs / 1e6, preempted };
  } catch {
    return { waitedMs: Number.NaN, preempted: Number.NaN };
  }
}
let waitsAtReset = mainThreadWaits();
const waitsSinceReset = () => {
  const now = mainThreadWaits();
  return { waitedMs: now.waitedMs - waitsAtReset.waitedMs, preempted: now.preempted - waitsAtReset.preempted };
};
let threadCpuAtReset = threadCpu();
const threadCpuSinceReset = () => Object.fromEntries([...threadCpu()].map(([name, seconds]) => [name, seconds - (threadCpuAtReset.get(name) ?? 0)]));

const phaseProfileDir = process.env.BENCH_PHASE_PROFILE_DIR;
const profiler = phaseProfileDir ? new Session() : undefined;
let phase = 0;
profiler?.connect();
const profilerCall = (method: string, params: object = {}) =>
  new Promise<unknown>((done, fail) => profiler!.post(method, params, (error, result) => (error ? fail(error) : done(result))));
async function startPhaseProfile(): Promise<void> {
  if (!profiler) return;
  await profilerCall('Profiler.enable');
  await profilerCall('Profiler.start');
  // Every allocation sampled, garbage included: what the collector has to clean up per message.
  await profilerCall('HeapProfiler.enable');
  await profilerCall('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}
async function writePhaseProfile(): Promise<void> {
  if (!profiler) return;
  const { profile } = (await profilerCall('Profiler.stop')) as { profile: object };
  const { profile: allocations } = (await profilerCall('HeapProfiler.stopSampling')) as { profile: object };
  phase += 1;
  writeFileSync(`${phaseProfileDir}/latency-phase-${phase}-${process.pid}.cpuprofile`, JSON.stringify(profile));
  writeFileSync(`${phaseProfileDir}/latency-phase-${phase}-${process.pid}.heapprofile`, JSON.stringify(allocations));
}

process.on('message', async (message: { type?: string }) => {
  if (message.type === 'count') {
    process.send?.({ type: 'count', messagesPosted, deliveriesSent });
  } else if (message.type === 'report') {
    await writePhaseProfile();
    process.send?.({
      type: 'report',
      inboundLatencies,
      deliveryLatencies,
      messagesPosted,
      unmatched,
      maxRssKb: process.resourceUsage().maxRSS,
      memory: process.memoryUsage(),
      loopDelayMs: { p99: loopDelayMs(loopDelay.percentile(99)), max: loopDelayMs(loopDelay.max), gcPauseMax },
      threadCpuSeconds: threadCpuSinceReset(),
      mainThreadWaits: waitsSinceReset(),
      gcByKind,
    });
  } else if (message.type === 'reset') {
    inboundLatencies = [];
    deliveryLatencies = [];
    inboundStart.clear();
    deliveryStart.clear();
    unmatched = 0;
    loopDelay.reset();
    gcPauseMax = 0;
    gcByKind = {};
    threadCpuAtReset = threadCpu();
    waitsAtReset = mainThreadWaits();
    await startPhaseProfile();
    process.send?.({ type: 'reset-done' });
  }
});
