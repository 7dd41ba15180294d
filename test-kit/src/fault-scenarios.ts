/**
 * The fault scenarios (nothing lost, doubled or reordered under faults), shared by the
 * tests (test/reliability/, small counts) and the report (`npm run faults`, larger counts). Each runs the middleware as a real child
 * process (`node --import tsx src/main.ts`, configured by environment, on its own SQLite
 * file) against the Twilio stand-in (a process of its own, seeded fault PRNG: in this one it
 * would answer behind the load generator's work) and a channel endpoint (in this process), and judges the result only from what arrived: the
 * conversations' messages as the stand-in holds them (read with the twilio library), and
 * the deliveries the channel endpoint received. Never from the middleware's logs.
 */
import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { encodeForm } from '@custom-channels/twilio-sandbox/form';
import type { FaultSettings } from '@custom-channels/twilio-sandbox';
import { createTwilioClient, signInboundRequest, type TwilioClient } from '@custom-channels/middleware';
import { freePort } from './free-port.js';
import { middlewareEnvironment } from './middleware-env.js';
import { startMiddlewareProcess, type MiddlewareProcess } from './middleware-process.js';
import { eventually } from './poll.js';
import { startReceiver, type Receiver } from './receiver.js';
import { SandboxControl } from './sandbox-control.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

export interface ScenarioResult {
  name: string;
  /** Messages (customer to Flex) or replies (Flex to customer) the scenario produced. */
  sent: number;
  /** Faults injected, by kind. */
  faults: Record<string, number>;
  /** Consequences worth showing that are not faults (e.g. the channel's resends while the middleware was down). */
  notes: Record<string, number>;
  faultsInjected: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** From the last message produced (or the end of the outage, or the last restart) until the last one arrived. */
  drainMs: number;
  /** What drainMs should stay within, where the scenario has a target. */
  drainTargetMs?: number;
  totalMs: number;
  /** The first problems found, for diagnosis (no personal data: synthetic ids only). */
  problems: string[];
}

/** Why a scenario fails its report: what went wrong with the messages, or a drain past its target. */
export function failures(result: ScenarioResult): string[] {
  const reasons: string[] = [];
  for (const [count, what] of [
    [result.lost, 'lost'],
    [result.duplicated, 'duplicated'],
    [result.outOfOrder, 'out of order'],
  ] as const) {
    if (count > 0) reasons.push(`${count} ${what}`);
  }
  if (result.drainTargetMs !== undefined && result.drainMs > result.drainTargetMs) {
    reasons.push(`drained in ${(result.drainMs / 1000).toFixed(1)} s, over its target of ${result.drainTargetMs / 1000} s`);
  }
  return [...reasons, ...result.problems];
}

/** Drain targets: faults alone, from the last acknowledgement; with kills, from the last restart. */
export const DRAIN_TARGET_MS = { faults: 15_000, kill: 30_000 };

export const CHANNEL = 'chatapp';
const CHANNEL_SECRET = 'reliability-channel-secret-0123456789';

// ---------------------------------------------------------------------------------------
// Scenarios

export interface TwilioFaultsOptions {
  customers: number;
  messagesPerCustomer: number;
  /** Kill the middleware with SIGKILL this many times while messages are coming in, restarting it each time. */
  kills?: number;
  seed?: number;
  /** Give up waiting after this long (the result then counts what is missing as lost). */
  deadlineMs?: number;
  log?: (line: string) => void;
}

/**
 * Customers send messages (each waits for its previous message's answer, retrying on
 * connection errors as a channel does) while Twilio answers 10% of writes with 429, 2%
 * with 500 and adds 0-200 ms to each write; optionally the middleware is killed with
 * SIGKILL mid-run and restarted on the same SQLite file. Every message must appear exactly
 * once in its customer's conversation, in the customer's order.
 */
export async function twilioFaultsScenario(options: TwilioFaultsOptions): Promise<ScenarioResult> {
  const kills = options.kills ?? 0;
  const name = kills > 0 ? `twilio faults + kill -9 x${kills}` : 'twilio faults';
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const rig = await startRig({
    seed: options.seed ?? 7,
    faults: {
      http: [
        {
          match: { method: 'POST' },
          rate429: 0.1,
          rate500: 0.02,
          retryAfterSeconds: 1,
          latencyMs: { min: 0, max: 200 },
        },
      ],
    },
  });
  try {
    const total = options.customers * options.messagesPerCustomer;
    const killAt = Array.from({ length: kills }, (_, k) => Math.floor((total * (k + 1)) / (kills + 1)));
    let acknowledged = 0;
    let killing: Promise<void> = Promise.resolve();
    let killsDone = 0;
    const onAck = () => {
      acknowledged += 1;
      if (killsDone < killAt.length && acknowledged >= killAt[killsDone]!) {
        killsDone += 1;
        log(`  kill -9 after ${acknowledged} acknowledged messages`);
        killing = killing.then(() => rig.middleware.crashAndRestart());
      }
    };
    const deadline = started + (options.deadlineMs ?? 600_000);
    const sending = await sendMessages(rig, options.customers, options.messagesPerCustomer, {
      copies: 1,
      deadline,
      onAck,
    });
    await killing;
    const lastSent = Date.now();
    log(`  ${total} messages acknowledged in ${lastSent - started} ms; waiting for the outbox to drain`);
    const drained = await waitForDrain(rig, 'to-flex', deadline);
    const drainMs = Date.now() - lastSent;
    const observed = await readCustomerMessages(rig.admin);
    const tally = tallyMessages(expectedCounts(options.customers, options.messagesPerCustomer), observed);
    if (!drained) tally.problems.unshift(`the to-flex outbox had not drained by the deadline (${(deadline - started) / 1000} s after the start)`);
    const faults = { ...(await twilioFaultCounts(rig.sandbox)), ...(kills > 0 ? { 'kill -9': killsDone } : {}) };
    return {
      ...result(name, total, faults, tally, drainMs, started, { 'channel resends': sending.resends }),
      drainTargetMs: kills > 0 ? DRAIN_TARGET_MS.kill : DRAIN_TARGET_MS.faults,
    };
  } finally {
    await rig.close();
  }
}

export interface ChannelOutageOptions {
  customers: number;
  repliesPerCustomer: number;
  /** How long the channel's delivery URL fails (503) from the first reply on (the report uses 30 s). */
  outageMs: number;
  seed?: number;
  deadlineMs?: number;
  log?: (line: string) => void;
}

/**
 * Agents reply while the channel's delivery URL answers 503 for `outageMs`: once it
 * recovers, every reply must reach the channel exactly once, in order per conversation.
 */
export async function channelOutageScenario(options: ChannelOutageOptions): Promise<ScenarioResult> {
  const name = `channel down ${Math.round(options.outageMs / 1000)} s`;
  const started = Date.now();
  const rig = await startRig({ seed: options.seed ?? 11 });
  try {
    const deadline = started + options.outageMs + (options.deadlineMs ?? 300_000);
    await sendMessages(rig, options.customers, 1, { copies: 1, deadline });
    const tasks = await acceptTasks(rig, options.customers, deadline);
    rig.channel.failFor(options.outageMs);
    const outageEnds = Date.now() + options.outageMs;
    await agentsReply(rig, tasks, options.repliesPerCustomer);
    const total = options.customers * options.repliesPerCustomer;
    options.log?.(`  ${total} replies posted; channel down until +${options.outageMs} ms`);
    await waitFor(() => uniqueReplies(rig.channel) >= total, 'every reply delivered', deadline);
    await waitForDrain(rig, 'to-channel', deadline);
    const drainMs = Math.max(0, Date.now() - outageEnds);
    const tally = tallyMessages(expectedReplies(tasks, options.repliesPerCustomer), repliesByConversation(rig.channel));
    return result(name, total, { 'channel 503': rig.channel.failures() }, tally, drainMs, started);
  } finally {
    await rig.close();
  }
}

export interface DuplicatesOptions {
  customers: number;
  messagesPerCustomer: number;
  repliesPerCustomer: number;
  seed?: number;
  deadlineMs?: number;
  log?: (line: string) => void;
}

/**
 * The channel sends every message three times (two copies at once, one more after the
 * answer), and every agent reply's webhook is delivered again by "Twilio" twice with the
 * same I-Twilio-Idempotency-Token and once with a new one (same MessageSid): each message
 * must reach Flex once, each reply the channel once, in order.
 */
export async function duplicatesScenario(options: DuplicatesOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const rig = await startRig({ seed: options.seed ?? 13 });
  try {
    const deadline = started + (options.deadlineMs ?? 300_000);
    const sending = await sendMessages(rig, options.customers, options.messagesPerCustomer, { copies: 3, deadline });
    const tasks = await acceptTasks(rig, options.customers, deadline);
    await agentsReply(rig, tasks, options.repliesPerCustomer);
    const replies = options.customers * options.repliesPerCustomer;
    await waitFor(() => uniqueReplies(rig.channel) >= replies, 'every reply delivered once', deadline);
    await rig.sandbox.idle();
    const redelivered = await redeliverAgentWebhooks(rig);
    const lastSent = Date.now();
    await waitForDrain(rig, 'to-flex', deadline);
    await waitForDrain(rig, 'to-channel', deadline);
    const drainMs = Date.now() - lastSent;

    const inbound = tallyMessages(expectedCounts(options.customers, options.messagesPerCustomer), await readCustomerMessages(rig.admin));
    const outbound = tallyMessages(expectedReplies(tasks, options.repliesPerCustomer), repliesByConversation(rig.channel));
    const tally = {
      lost: inbound.lost + outbound.lost,
      duplicated: inbound.duplicated + outbound.duplicated,
      outOfOrder: inbound.outOfOrder + outbound.outOfOrder,
      problems: [...inbound.problems, ...outbound.problems],
    };
    const faults = {
      'inbound copies': sending.copiesSent - options.customers * options.messagesPerCustomer,
      'webhook redeliveries': redelivered,
    };
    return result('duplicates', options.customers * options.messagesPerCustomer + replies, faults, tally, drainMs, started);
  } finally {
    await rig.close();
  }
}

export function result(
  name: string,
  sent: number,
  faults: Record<string, number>,
  tally: Pick<ScenarioResult, 'lost' | 'duplicated' | 'outOfOrder' | 'problems'>,
  drainMs: number,
  started: number,
  notes: Record<string, number> = {},
): ScenarioResult {
  const faultsInjected = Object.values(faults).reduce((sum, count) => sum + count, 0);
  return {
    name,
    sent,
    faults,
    notes,
    faultsInjected,
    ...tally,
    problems: tally.problems.slice(0, 10),
    drainMs,
    totalMs: Date.now() - started,
  };
}

// ---------------------------------------------------------------------------------------
// The rig: stand-in, channel endpoint, middleware process

/** The rig's middleware answers /metrics (behind the admin token) to see when a queue has drained. */
const RIG_ADMIN_TOKEN = 'rig-admin-token-0123456789abcdef0123';

export interface Rig {
  sandbox: SandboxProcess;
  admin: TwilioClient;
  channel: Receiver;
  middleware: MiddlewareProcess;
  control: SandboxControl;
  close(): Promise<void>;
}

/** `env`: more environment for the middleware (a channels file, media rules). */
export async function startRig(options: { seed: number; faults?: FaultSettings; env?: Record<string, string> }): Promise<Rig> {
  const sandbox = await startSandboxProcess({ seed: options.seed, faults: options.faults });
  const channel = await startReceiver(CHANNEL_SECRET);
  const admin = createTwilioClient({
    accountSid: sandbox.accountSid,
    authToken: sandbox.authToken,
    apiBaseUrl: sandbox.url,
  });
  let middleware: MiddlewareProcess;
  try {
    const env = await middlewareEnvironment({
      sandbox,
      port: await freePort(),
      channelSecret: CHANNEL_SECRET,
      deliveryUrl: channel.url,
    });
    middleware = await startMiddlewareProcess({ ...env, LOG_LEVEL: 'warn', ADMIN_TOKEN: RIG_ADMIN_TOKEN, ...options.env });
  } catch (error) {
    await channel.close();
    await sandbox.close();
    throw error;
  }
  return {
    sandbox,
    admin,
    channel,
    middleware,
    control: new SandboxControl(sandbox.url),
    async close() {
      await middleware.stop();
      await channel.close();
      await sandbox.close();
    },
  };
}

// ---------------------------------------------------------------------------------------
// The customers' side

export function customerId(index: number): string {
  return `cust-${String(index).padStart(4, '0')}`;
}

function expectedCounts(customers: number, perCustomer: number): Map<string, number> {
  return new Map(Array.from({ length: customers }, (_, index) => [customerId(index), perCustomer]));
}

/** One inbound POST, signed: true when accepted, false when worth sending again (5xx, no answer); a 4xx is a refusal. */
async function postInbound(rig: Rig, body: string): Promise<boolean> {
  let status: number;
  try {
    const response = await fetch(`${rig.middleware.url}/inbound/${CHANNEL}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signInboundRequest(CHANNEL_SECRET, body) },
      body,
    });
    await response.arrayBuffer();
    status = response.status;
  } catch {
    return false;
  }
  if (status === 202 || status === 200) return true;
  if (status < 500) throw new Error(`the middleware refused a message: ${status}`);
  return false;
}

/** Sends an inbound body until the middleware accepts it, as a channel does; resolves to the number of resends. */
export async function postUntilAccepted(rig: Rig, body: string, deadline: number): Promise<number> {
  for (let resends = 0; ; resends += 1) {
    if (await postInbound(rig, body)) return resends;
    if (Date.now() > deadline) throw new Error('could not hand a message to the middleware before the deadline');
    await pause(100);
  }
}

/**
 * Each customer sends its messages one after the other, each only once the previous one
 * was acknowledged (202 or 200 duplicate); customers in parallel. A connection error or a
 * 5xx is retried with the same id, as a channel does. `copies` > 1 sends extra copies of
 * each message (all but one at the same moment).
 */
async function sendMessages(
  rig: Rig,
  customers: number,
  perCustomer: number,
  options: { copies: number; deadline: number; onAck?: () => void },
): Promise<{ resends: number; copiesSent: number }> {
  let resends = 0;
  let copiesSent = 0;
  const sendOnce = async (body: string): Promise<void> => {
    copiesSent += 1;
    resends += await postUntilAccepted(rig, body, options.deadline);
  };
  await Promise.all(
    Array.from({ length: customers }, async (_, index) => {
      const id = customerId(index);
      for (let n = 1; n <= perCustomer; n += 1) {
        const body = JSON.stringify({
          id: `${id}-m${n}`,
          from: { id, name: `Customer ${index}` },
          text: `${id} #${n}`,
        });
        await Promise.all(Array.from({ length: Math.max(1, options.copies - 1) }, () => sendOnce(body)));
        if (options.copies > 1) await sendOnce(body);
        options.onAck?.();
      }
    }),
  );
  return { resends, copiesSent };
}

/** Waits for one pending task per customer, accepts each; returns the tasks with their conversations. */
export async function acceptTasks(rig: Rig, customers: number, deadline: number): Promise<Array<{ sid: string; conversationSid: string }>> {
  const tasks = await waitFor(
    async () => {
      const pending = (await rig.control.tasks()).filter((task) => task.status === 'pending' && task.raw.conversationSid);
      return pending.length >= customers && pending.map((task) => ({ sid: task.sid, conversationSid: String(task.raw.conversationSid) }));
    },
    'a task per customer',
    deadline,
  );
  for (const task of tasks) await rig.control.accept(task.sid, 'agent-1');
  return tasks;
}

/** Each agent posts `replies` messages, one after the other; agents in parallel. */
export async function agentsReply(rig: Rig, tasks: Array<{ sid: string }>, replies: number): Promise<void> {
  await Promise.all(
    tasks.map(async (task) => {
      for (let n = 1; n <= replies; n += 1) await rig.control.reply(task.sid, `reply #${n}`);
    }),
  );
}

function expectedReplies(tasks: Array<{ conversationSid: string }>, replies: number): Map<string, number> {
  return new Map(tasks.map((task) => [task.conversationSid, replies]));
}

/** Replays every agent message webhook the stand-in sent: twice with its token, once with a new token. */
async function redeliverAgentWebhooks(rig: Rig): Promise<number> {
  const agentMessages = (await rig.sandbox.webhookDeliveries()).filter(
    (delivery) => delivery.eventType === 'onMessageAdded' && delivery.params.Source === 'SDK' && delivery.outcome === 'delivered',
  );
  let count = 0;
  for (const delivery of agentMessages) {
    for (const token of [delivery.idempotencyToken, delivery.idempotencyToken, randomUUID()]) {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(rig.sandbox.authToken, delivery.url, delivery.params),
          'i-twilio-idempotency-token': token,
        },
        body: encodeForm(delivery.params),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`a redelivered webhook was refused: ${response.status}`);
      count += 1;
    }
  }
  return count;
}

// ---------------------------------------------------------------------------------------
// Reading the result

/** Every conversation's messages as the stand-in holds them, by customer: their numbers in conversation order. */
export async function readCustomerMessages(admin: TwilioClient): Promise<Map<string, number[]>> {
  const conversations = await admin.conversations.v1.conversations.list({ pageSize: 100 });
  const byCustomer = new Map<string, number[]>();
  const bodies = await mapLimit(conversations, 8, (conversation) =>
    admin.conversations.v1
      .conversations(conversation.sid)
      .messages.list({ order: 'asc', pageSize: 100 })
      .then((messages) => messages.map((message) => message.body)),
  );
  for (const list of bodies) {
    for (const body of list) {
      const match = /^(cust-\d+) #(\d+)$/.exec(body ?? '');
      if (!match) continue;
      const seen = byCustomer.get(match[1]!) ?? [];
      seen.push(Number(match[2]));
      byCustomer.set(match[1]!, seen);
    }
  }
  return byCustomer;
}

function repliesByConversation(channel: Receiver): Map<string, number[]> {
  const byConversation = new Map<string, number[]>();
  for (const { body: delivery } of channel.received) {
    const match = delivery.type === 'message' ? /^reply #(\d+)$/.exec(String(delivery.text)) : null;
    if (!match) continue;
    const seen = byConversation.get(String(delivery.conversationSid)) ?? [];
    seen.push(Number(match[1]));
    byConversation.set(String(delivery.conversationSid), seen);
  }
  return byConversation;
}

function uniqueReplies(channel: Receiver): number {
  const replies = channel.received.map((delivery) => delivery.body).filter((body) => body.type === 'message' && /^reply #/.test(String(body.text)));
  return new Set(replies.map((body) => body.id)).size;
}

/**
 * Lost: an expected number never seen. Duplicated: each sighting after the first.
 * Out of order: a first sighting lower than one seen before it.
 */
export function tallyMessages(
  expected: Map<string, number>,
  observed: Map<string, number[]>,
): Pick<ScenarioResult, 'lost' | 'duplicated' | 'outOfOrder' | 'problems'> {
  let lost = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  const problems: string[] = [];
  for (const [key, count] of expected) {
    const seen = observed.get(key) ?? [];
    const times = new Map<number, number>();
    let highest = 0;
    for (const n of seen) {
      const time = (times.get(n) ?? 0) + 1;
      times.set(n, time);
      if (time > 1 || n > count) {
        duplicated += 1;
        problems.push(`${key}: #${n} ${time > 1 ? 'again' : 'unexpected'}`);
        continue;
      }
      if (n < highest) {
        outOfOrder += 1;
        problems.push(`${key}: #${n} after #${highest}`);
      } else highest = n;
    }
    for (let n = 1; n <= count; n += 1) {
      if (!times.has(n)) {
        lost += 1;
        problems.push(`${key}: #${n} missing`);
      }
    }
  }
  return { lost, duplicated, outOfOrder, problems };
}

/** Waits until the middleware reports no pending entry in the queue (a signal of when to look, not evidence); false past the deadline. */
export async function waitForDrain(rig: Rig, queue: 'to-flex' | 'to-channel', deadline: number): Promise<boolean> {
  return waitFor(
    async () => {
      const text = await fetch(`${rig.middleware.url}/metrics`, { headers: { authorization: `Bearer ${RIG_ADMIN_TOKEN}` } }).then((response) =>
        response.text(),
      );
      const match =
        new RegExp(`^cc_outbox_entries\\{[^}]*queue="${queue}"[^}]*state="pending"[^}]*\\} (\\d+)$`, 'm').exec(text) ??
        new RegExp(`^cc_outbox_entries\\{[^}]*state="pending"[^}]*queue="${queue}"[^}]*\\} (\\d+)$`, 'm').exec(text);
      return match !== null && Number(match[1]) === 0;
    },
    `the ${queue} outbox to drain`,
    deadline,
  ).then(
    () => true,
    () => false,
  );
}

export async function twilioFaultCounts(sandbox: SandboxProcess): Promise<Record<string, number>> {
  const stats = await sandbox.faultStats();
  return { 'twilio 429': stats.http429, 'twilio 500': stats.http500 };
}

// ---------------------------------------------------------------------------------------
// Small helpers

/** Waits as `eventually` does, until an absolute deadline, looking every 100 ms. */
function waitFor<T>(check: () => T | false | undefined | Promise<T | false | undefined>, what: string, deadline: number): Promise<T> {
  return eventually(check, what, Math.max(0, deadline - Date.now()), 100);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function mapLimit<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!);
      }
    }),
  );
  return results;
}
