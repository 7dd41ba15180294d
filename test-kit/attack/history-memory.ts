/**
 * Must-fix 1, web chat history catch-up: one visitor builds a long transcript (large messages of
 * their own over a few tabs, at the rate the web chat allows, then agent replies posted through
 * the stand-in's Conversations API, which land in the same transcript), then opens many sockets
 * that each ask for the whole history (`hello` with `after: 1`) and never read. Measured: the
 * middleware's RSS and how long `/healthz` takes while they hang.
 */
import { WebchatClient } from '../src/webchat-client.js';
import { formatMs, holdsWithin, log, peakSampler, percentile, probeHealth, sleep, type Outcome } from './measure.js';
import { startAttackRig, WEBCHAT, type AttackRig } from './rig.js';
import { openStalledSocket, type StalledSocket } from './stalled-socket.js';

export interface HistoryOptions {
  /** Visitor messages of ~98 KB each. */
  largeMessages: number;
  /** The transcript's length once the agent replies are in (the catch-up sends at most 5,000). */
  historyEvents: number;
  hostileSockets: number;
  /** How long the hostile sockets are held open while RSS and /healthz are measured. */
  holdSeconds: number;
  /** The hostile sockets are closed early once the middleware's RSS passes this (the machine is shared). */
  rssLimitMb: number;
  /**
   * Lifts the visitor's byte quota and socket limit, so the whole history is built and every
   * hostile socket catches up: what the paged, backpressured catch-up holds by itself (a
   * history that grew over days, or sockets spread over instances).
   */
  liftVisitorLimits: boolean;
}

const LIFTED_VISITOR_LIMITS = { WEBCHAT_VISITOR_BYTES_PER_HOUR: '9999999999', WEBCHAT_MAX_SOCKETS_PER_VISITOR: '999' };

const TARGET = { rssMb: 250, healthMs: 100 };
/** The longest text a web chat takes by default, in a character UTF-8 writes in 3 bytes: 98,304 bytes. */
const LARGE_TEXT = '€'.repeat(32_768);
const AGENT_TEXT = 'An agent reply of a thousand characters. '.repeat(25).slice(0, 1000);
/** Tabs of the one visitor writing the history: each socket has its own frame budget. */
const WRITER_SOCKETS = 3;
/** Under the middleware's per-socket budget (a burst of 30, then 10 frames a second). */
const PACE = { burst: 25, perSecond: 9 };
const AGENT_CONCURRENCY = 8;
const STALLED_AFTER_MS = 10_000;
const PROBE_TIMEOUT_MS = 30_000;
const PROBE_INTERVAL_MS = 250;

interface History {
  token: string;
  epoch: string;
  events: number;
  largeAccepted: number;
  agentReplies: number;
  refused: Map<string, number>;
}

export async function historyScenario(options: HistoryOptions): Promise<Outcome> {
  const rig = await startAttackRig(options.liftVisitorLimits ? { env: LIFTED_VISITOR_LIMITS } : {});
  try {
    const history = await buildHistory(rig, options);
    const mb = (history.largeAccepted * Buffer.byteLength(LARGE_TEXT) + history.agentReplies * AGENT_TEXT.length) / 1_000_000;
    const refused = [...history.refused].map(([code, count]) => `${count} ${code}`).join(', ');
    log(
      `  history: ${history.events} events (${mb.toFixed(0)} MB): ${history.largeAccepted} of ${options.largeMessages} large messages accepted${refused ? ` (refused: ${refused})` : ''}, ${history.agentReplies} agent replies`,
    );
    const hostile = await hangSockets(rig, history, options);
    return {
      scenario: options.liftVisitorLimits ? 'web chat history, visitor limits lifted' : 'web chat history',
      measured:
        `${hostile.upgraded}/${options.hostileSockets} sockets upgraded, saying hello on a ${history.events}-event history (${mb.toFixed(0)} MB): ` +
        `RSS ${hostile.rssBefore.toFixed(0)} → peak ${hostile.rssPeak.toFixed(0)} MB${hostile.stoppedEarly ? ` (stopped at the ${options.rssLimitMb} MB limit)` : ''}, ` +
        `${hostile.rssAfter.toFixed(0)} MB 3 s after they closed; /healthz p50 ${probeTime(hostile.healthP50)}, max ${probeTime(hostile.healthMax)} ` +
        `(${hostile.probes} probes; ${formatMs(hostile.healthBefore)} before)`,
      target: `RSS < ${TARGET.rssMb} MB, /healthz < ${TARGET.healthMs} ms`,
      pass: hostile.rssPeak < TARGET.rssMb && hostile.healthMax < TARGET.healthMs,
    };
  } finally {
    await rig.close();
  }
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** A probe that got no answer took at least the timeout. */
const probeTime = (ms: number) => (ms >= PROBE_TIMEOUT_MS ? `> ${formatMs(PROBE_TIMEOUT_MS)} (no answer)` : formatMs(ms));

async function buildHistory(rig: AttackRig, options: HistoryOptions): Promise<History> {
  const writers: WebchatClient[] = [];
  const tally = { accepted: new Set<string>(), settled: new Set<string>(), refused: new Map<string, number>(), lastSeq: 0 };
  // Keeps the count and drops the frames: the writers receive every event of the history too.
  const absorb = (client: WebchatClient) => {
    for (const frame of client.frames.splice(0)) {
      if (frame.type === 'ack') tally.accepted.add(frame.id);
      if (frame.type === 'ack' || frame.type === 'event') tally.lastSeq = Math.max(tally.lastSeq, frame.seq);
      if (frame.type === 'error') tally.refused.set(frame.code, (tally.refused.get(frame.code) ?? 0) + 1);
      if ((frame.type === 'ack' || frame.type === 'error') && frame.id) tally.settled.add(frame.id);
    }
  };
  const open = () => writers.filter((writer) => writer.socket.readyState === writer.socket.OPEN);
  const started = performance.now();
  try {
    const first = await WebchatClient.open(rig.url, rig.url);
    writers.push(first);
    const { welcome } = await first.hello();
    for (let tab = 1; tab < WRITER_SOCKETS; tab += 1) {
      const writer = await WebchatClient.open(rig.url, rig.url);
      try {
        await writer.hello({ token: welcome.token, epoch: welcome.epoch });
        writers.push(writer);
      } catch {
        // A limit on a visitor's sockets: write with the tabs allowed.
        await writer.close();
      }
    }
    // A short first message opens the conversation in Flex (the large ones are over Twilio's 32 KB body limit).
    first.send({ type: 'message', id: 'opening-message', name: 'Visitor', text: 'hello' });
    const ids = Array.from({ length: options.largeMessages }, (_, index) => `large-${String(index).padStart(4, '0')}`);
    const deadline = Date.now() + 60_000 + (options.largeMessages / (writers.length * PACE.perSecond)) * 2000;
    await Promise.all(
      writers.map(async (writer, tab) => {
        const mine = ids.filter((_, index) => index % writers.length === tab);
        await sendPaced(writer, mine, deadline, () => absorb(writer));
      }),
    );
    const progress = () => tally.settled.size + tally.lastSeq;
    await untilDoneOrStalled(
      () => {
        writers.forEach(absorb);
        return open().length === 0 || ids.every((id) => tally.settled.has(id));
      },
      progress,
      Math.max(0, deadline - Date.now()),
    );
    const largeAccepted = ids.filter((id) => tally.accepted.has(id)).length;
    log(`  ${largeAccepted} large messages accepted in ${seconds(started)}`);
    const agentReplies = Math.max(0, options.historyEvents - tally.lastSeq);
    await postAgentReplies(rig, agentReplies);
    log(`  ${agentReplies} agent replies posted in ${seconds(started)}`);
    // A reply whose webhook the stand-in gave up on (a middleware too busy to answer in time) never arrives.
    await untilDoneOrStalled(
      () => {
        writers.forEach(absorb);
        return open().length === 0 || tally.lastSeq >= options.historyEvents;
      },
      progress,
      120_000,
    );
    writers.forEach(absorb);
    log(`  ${tally.lastSeq} events in the transcript after ${seconds(started)}`);
    return { token: welcome.token, epoch: welcome.epoch, events: tally.lastSeq, largeAccepted, agentReplies, refused: tally.refused };
  } finally {
    await Promise.all(writers.map((writer) => writer.close()));
  }
}

/** Waits until `done`, or until `progress` has not grown for STALLED_AFTER_MS (what is missing is not coming), or `timeoutMs`. */
async function untilDoneOrStalled(done: () => boolean, progress: () => number, timeoutMs: number): Promise<void> {
  let last = { value: progress(), at: Date.now() };
  await holdsWithin(
    () => {
      if (done()) return true;
      if (progress() > last.value) last = { value: progress(), at: Date.now() };
      return Date.now() - last.at > STALLED_AFTER_MS;
    },
    timeoutMs,
    200,
  );
}

/** Sends large messages from one tab at a pace under the frame budget; `absorb` runs between frames. */
async function sendPaced(writer: WebchatClient, ids: string[], deadline: number, absorb: () => void): Promise<void> {
  let tokens = PACE.burst;
  let refilledAt = Date.now();
  for (const id of ids) {
    if (writer.socket.readyState !== writer.socket.OPEN || Date.now() > deadline) return;
    const now = Date.now();
    tokens = Math.min(PACE.burst, tokens + ((now - refilledAt) / 1000) * PACE.perSecond);
    refilledAt = now;
    if (tokens < 1) {
      await sleep(((1 - tokens) / PACE.perSecond) * 1000);
      tokens = 1;
      refilledAt = Date.now();
    }
    tokens -= 1;
    writer.send({ type: 'message', id, name: 'Visitor', text: LARGE_TEXT });
    absorb();
  }
}

/** Agent replies in the visitor's conversation, posted over REST as Flex posts them; the middleware logs each in the transcript. */
async function postAgentReplies(rig: AttackRig, count: number): Promise<void> {
  if (count === 0) return;
  const task = await holdsWithin(async () => (await rig.control.tasks()).length > 0, 30_000, 200);
  const [conversation] = await rig.admin.conversations.v1.conversations.list({ limit: 1 });
  if (!task || !conversation) throw new Error('the visitor has no conversation in Flex to reply in');
  let next = 0;
  await Promise.all(
    Array.from({ length: AGENT_CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        await rig.admin.conversations.v1.conversations(conversation.sid).messages.create({ author: 'agent@example.com', body: AGENT_TEXT });
      }
    }),
  );
}

interface HangResult {
  upgraded: number;
  stoppedEarly: boolean;
  rssBefore: number;
  /** The highest RSS from the first hostile socket until 3 s after the last closed. */
  rssPeak: number;
  rssAfter: number;
  healthBefore: number;
  healthP50: number;
  healthMax: number;
  probes: number;
}

/**
 * Opens the hostile sockets and holds them for `holdSeconds`, then closes them. RSS is sampled
 * throughout; a /healthz probe starts every PROBE_INTERVAL_MS whether or not the previous one
 * was answered, so a stalled event loop shows in every probe it holds up.
 */
async function hangSockets(rig: AttackRig, history: History, options: HistoryOptions): Promise<HangResult> {
  const before: number[] = [];
  for (let probe = 0; probe < 5; probe += 1) before.push(await probeHealth(rig.url, PROBE_TIMEOUT_MS));
  const rssBefore = rig.rssMb();
  const rss = peakSampler(() => rig.rssMb(), 50);
  const probes: Array<Promise<number>> = [];
  const prober = setInterval(() => probes.push(probeHealth(rig.url, PROBE_TIMEOUT_MS)), PROBE_INTERVAL_MS);
  const hello = { type: 'hello', v: 1, channel: WEBCHAT, token: history.token, epoch: history.epoch, after: 1 };
  const sockets: Array<StalledSocket | undefined> = await Promise.all(
    Array.from({ length: options.hostileSockets }, () => openStalledSocket(rig.url, hello).catch(() => undefined)),
  );
  const upgraded = sockets.filter((socket) => socket?.upgraded).length;
  log(`  ${upgraded} hostile sockets open; holding them ${options.holdSeconds} s`);
  const stoppedEarly = await holdsWithin(() => rss.peak() > options.rssLimitMb, options.holdSeconds * 1000, 100);
  clearInterval(prober);
  for (const socket of sockets) socket?.destroy();
  const latencies = await Promise.all(probes);
  await sleep(3000);
  return {
    upgraded,
    stoppedEarly,
    rssBefore,
    rssPeak: rss.stop(),
    rssAfter: rig.rssMb(),
    healthBefore: percentile(before, 0.5),
    healthP50: percentile(latencies, 0.5),
    healthMax: Math.max(...latencies),
    probes: latencies.length,
  };
}
