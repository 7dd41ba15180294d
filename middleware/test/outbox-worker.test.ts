import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { OutboxWorker, type HandlingContext, type HandlingOutcome, type WorkerTimers } from '../src/outbox/outbox-worker.js';
import { nextStep, retryDelayMs, throttledRetryDelayMs } from '../src/outbox/backoff.js';
import type { PayloadReader } from '../src/outbox/payload-reader.js';
import type { OutboxItem, Store } from '../src/store/store.js';
import { eventually } from '@custom-channels/test-kit/poll';

const quickRetries = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 };
const silent = pino({ level: 'silent' });
/** These tests queue plain strings. */
const readText: PayloadReader<string> = (stored) =>
  typeof stored === 'string' ? { ok: true, payload: stored } : { ok: false, problem: 'payload is not a string' };

test('each key in order despite failures, keys in parallel, failures parked after the last attempt', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const handled: string[] = [];
  const attemptsOf = new Map<string, number>();
  const handle = async (item: OutboxItem<string>): Promise<HandlingOutcome> => {
    const name = item.payload;
    attemptsOf.set(name, (attemptsOf.get(name) ?? 0) + 1);
    if (name === 'a2' && attemptsOf.get(name)! < 3) return { kind: 'transient', reason: 'flaky' };
    if (name === 'b1') return { kind: 'transient', reason: 'always down' };
    if (name === 'c1') throw new Error('unexpected');
    handled.push(name);
    return { kind: 'done' };
  };
  const worker = new OutboxWorker({ store, queue: 'to-flex', readPayload: readText, handle, retryPolicy: quickRetries, logger: silent, pollIntervalMs: 5 });
  worker.start();
  for (const name of ['a1', 'a2', 'a3', 'b1', 'b2', 'c1']) {
    await store.enqueue({ queue: 'to-flex', orderingKey: name[0]!, payload: name });
    worker.nudge();
  }
  await eventually(async () => (await store.countOutbox())[0]?.pending === 0, 'outbox drained');
  await worker.stop();

  assert.deepEqual(
    handled.filter((name) => name.startsWith('a')),
    ['a1', 'a2', 'a3'],
  );
  assert.equal(attemptsOf.get('a2'), 3);
  assert.equal(attemptsOf.get('b1'), quickRetries.maxAttempts);
  assert.ok(handled.indexOf('b2') >= 0, 'b2 went once b1 was parked');
  assert.deepEqual(await store.countOutbox(), [{ queue: 'to-flex', pending: 0, failed: 2 }]);
  await store.close();
});

test('stop() waits for the entry in hand and claims nothing more', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  let release!: () => void;
  const started: string[] = [];
  const handle = async (item: OutboxItem<string>): Promise<HandlingOutcome> => {
    started.push(item.payload);
    await new Promise<void>((resolve) => (release = resolve));
    return { kind: 'done' };
  };
  const worker = new OutboxWorker({ store, queue: 'to-channel', readPayload: readText, handle, retryPolicy: quickRetries, logger: silent, pollIntervalMs: 5 });
  await store.enqueue({ queue: 'to-channel', orderingKey: 'k', payload: 'first' });
  await store.enqueue({ queue: 'to-channel', orderingKey: 'k', payload: 'second' });
  worker.start();
  await eventually(() => started.length === 1, 'first entry started');
  const stopped = worker.stop();
  release();
  await stopped;
  assert.deepEqual(started, ['first']);
  assert.deepEqual(await store.countOutbox(), [{ queue: 'to-channel', pending: 1, failed: 0 }]);
  await store.close();
});

test('stop(deadline): an entry still in hand at the deadline is released, due at once, and its late outcome is not recorded', { timeout: 10_000 }, async () => {
  const store = openSqliteStore({ path: ':memory:' });
  let finish!: (outcome: HandlingOutcome) => void;
  const handle = () => new Promise<HandlingOutcome>((resolve) => (finish = resolve));
  const worker = new OutboxWorker({ store, queue: 'to-flex', readPayload: readText, handle, retryPolicy: quickRetries, logger: silent, leaseMs: 600_000 });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'slow' });
  worker.start();
  await eventually(() => finish !== undefined, 'the entry in hand');
  const deadline = new AbortController();
  const stopped = worker.stop(deadline.signal);
  deadline.abort();
  await stopped;
  const [again] = await store.claimDue('to-flex', Date.now(), 10, 1000);
  assert.deepEqual([again?.payload, again?.attempts], ['slow', 2], 'claimable at once, though its lease had 10 minutes to run');
  finish({ kind: 'permanent', reason: 'answered after the stop' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(await store.listDeadLetters(), [], 'the released attempt records nothing');
  await store.close();
});

test('backoff grows, is capped, and honours a longer Retry-After', () => {
  const policy = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 10 };
  const lowest = () => 0;
  const highest = () => 1;
  assert.equal(retryDelayMs(policy, 1, undefined, lowest), 500);
  assert.equal(retryDelayMs(policy, 1, undefined, highest), 1000);
  assert.equal(retryDelayMs(policy, 3, undefined, highest), 4000);
  assert.equal(retryDelayMs(policy, 10, undefined, highest), 8000);
  assert.equal(retryDelayMs(policy, 1, 5000, lowest), 5000);
  assert.equal(retryDelayMs(policy, 1, 60_000, lowest), 8000);
});

test('nextStep: permanent parks at once; throttled uses up no attempt until maxThrottledRetries, then counts like any failure', () => {
  const policy = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 3, maxThrottledRetries: 2 };
  const lowest = () => 0;
  const limited = { kind: 'throttled', reason: 'answered 429', retryAfterMs: 3000 } as const;
  assert.deepEqual(nextStep({ kind: 'permanent', reason: 'chat not found' }, { attempts: 1, throttled: 0 }, policy), { giveUp: 'chat not found' });
  assert.deepEqual(nextStep(limited, { attempts: 7, throttled: 1 }, policy, lowest), { retryInMs: 3000, throttled: true }, 'no attempt used, no doubling');
  assert.deepEqual(nextStep(limited, { attempts: 3, throttled: 2 }, policy, lowest), { retryInMs: 3000, throttled: false }, 'past the cap: one failure so far');
  assert.deepEqual(nextStep(limited, { attempts: 5, throttled: 2 }, policy, lowest), { giveUp: 'gave up after 5 attempts: answered 429' });
  assert.deepEqual(nextStep({ kind: 'transient', reason: '503' }, { attempts: 3, throttled: 1 }, policy, lowest), { retryInMs: 1000, throttled: false });
});

test('a throttled attempt waits about the base delay or the Retry-After, however many attempts came before', () => {
  const policy = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 5 };
  assert.equal(
    throttledRetryDelayMs(policy, undefined, () => 0),
    500,
  );
  assert.equal(
    throttledRetryDelayMs(policy, undefined, () => 1),
    1000,
  );
  assert.equal(
    throttledRetryDelayMs(policy, 3000, () => 0),
    3000,
  );
  assert.equal(
    throttledRetryDelayMs(policy, 60_000, () => 0),
    8000,
  );
});

test('a lease is renewed while its entry is handled: an attempt longer than the lease is not handed to another worker', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const handledBy: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const slowly =
    (name: string) =>
    async (item: OutboxItem<string>): Promise<HandlingOutcome> => {
      handledBy.push(`${name}:${item.payload}`);
      if (name === 'first') await released;
      return { kind: 'done' };
    };
  const options = {
    store,
    queue: 'to-flex' as const,
    readPayload: readText,
    retryPolicy: quickRetries,
    logger: silent,
    pollIntervalMs: 5,
    leaseMs: 60,
  };
  const first = new OutboxWorker({ ...options, handle: slowly('first') });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'slow creation' });
  first.start();
  await eventually(() => handledBy.length === 1, 'the first worker took the entry');
  const second = new OutboxWorker({ ...options, handle: slowly('second') });
  second.start();
  // Ten leases long: without the heartbeat the second worker would have taken it over by now.
  const until = Date.now() + 600;
  await eventually(() => Date.now() > until, 'ten lease lengths');
  assert.deepEqual(handledBy, ['first:slow creation']);
  release();
  await eventually(async () => (await store.countOutbox()).every((count) => count.pending === 0), 'done once');
  await Promise.all([first.stop(), second.stop()]);
  assert.deepEqual(handledBy, ['first:slow creation']);
  await store.close();
});

test("a crashed worker's entry (its lease no longer renewed) is handed out again once the lease runs out", async () => {
  const store = openSqliteStore({ path: ':memory:' });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'm1' });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'm2' });
  // The crashed instance: claimed m1, then died without a word.
  const [orphan] = await store.claimDue('to-flex', Date.now(), 1, 100);
  assert.equal(orphan?.payload, 'm1');
  const handled: Array<[string, number]> = [];
  const worker = new OutboxWorker({
    store,
    queue: 'to-flex',
    readPayload: readText,
    retryPolicy: quickRetries,
    logger: silent,
    pollIntervalMs: 5,
    leaseMs: 100,
    handle: async (item) => {
      handled.push([item.payload, item.attempts]);
      return { kind: 'done' };
    },
  });
  worker.start();
  await eventually(() => handled.length === 2, 'both entries handled');
  await worker.stop();
  assert.deepEqual(
    handled,
    [
      ['m1', 2],
      ['m2', 1],
    ],
    'm1 first, known as a second attempt (so posts check for a lost answer)',
  );
  await store.close();
});

test('a worker that lost its lease does not record the outcome: the new holder does', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'm1' });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const renewals: boolean[] = [];
  // A store whose renewals fail as they would after a long stall (the lease expired and was taken).
  const stalled = { ...store, renewLease: async () => (renewals.push(false), false) };
  const worker = new OutboxWorker({
    store: stalled,
    queue: 'to-flex',
    readPayload: readText,
    retryPolicy: quickRetries,
    logger: silent,
    pollIntervalMs: 5,
    leaseMs: 30,
    // One slot: the expired entry is not claimed a second time while the first claim still works on it.
    concurrency: 1,
    handle: async () => {
      await released;
      return { kind: 'permanent', reason: 'would park it' };
    },
  });
  worker.start();
  await eventually(() => renewals.length > 0, 'a renewal was refused');
  release();
  await worker.stop();
  assert.deepEqual(await store.countOutbox(), [{ queue: 'to-flex', pending: 1, failed: 0 }], 'not parked by the worker that lost it');
  await store.close();
});

test('after a stall longer than the lease (no heartbeat could run), the claim is checked before the outcome is recorded', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'm1' });
  let clock = Date.now();
  const checks: number[] = [];
  const attempts: number[] = [];
  const worker = new OutboxWorker({
    // The stalled claim was taken over meanwhile: its renewal is refused.
    store: { ...store, renewLease: async (id) => (checks.push(id), false) },
    queue: 'to-flex',
    readPayload: readText,
    retryPolicy: quickRetries,
    logger: silent,
    pollIntervalMs: 5,
    leaseMs: 60_000,
    now: () => clock,
    handle: async (item) => {
      attempts.push(item.attempts);
      if (item.attempts === 1) clock += 120_000; // the process was frozen for two lease lengths
      return { kind: 'done' };
    },
  });
  worker.start();
  await eventually(async () => (await store.countOutbox()).every((count) => count.pending === 0), 'completed by the claim that holds it');
  await worker.stop();
  assert.equal(checks.length, 1, 'the stalled claim was checked, and not recorded');
  assert.deepEqual(attempts, [1, 2], 'the entry was handled again under a new claim, which completed it');
  await store.close();
});

test('throttled attempts do not use up an entry: throttled more times than the attempts allow, it still goes through', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  let calls = 0;
  const handle = async (): Promise<HandlingOutcome> => {
    calls += 1;
    if (calls <= quickRetries.maxAttempts + 2) return { kind: 'throttled', reason: 'Twilio answered 429', retryAfterMs: 1 };
    if (calls === quickRetries.maxAttempts + 3) return { kind: 'transient', reason: 'Twilio answered 500' };
    return { kind: 'done' };
  };
  const policy = { ...quickRetries, baseDelayMs: 2 };
  const worker = new OutboxWorker({ store, queue: 'to-flex', readPayload: readText, handle, retryPolicy: policy, logger: silent, pollIntervalMs: 2 });
  worker.start();
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'x' });
  worker.nudge();
  await eventually(async () => (await store.countOutbox()).length === 0, 'the entry handled');
  await worker.stop();
  assert.equal(calls, quickRetries.maxAttempts + 4, 'throttled six times, failed once, then done');
  assert.deepEqual(await store.listDeadLetters(), [], 'not parked');
  await store.close();
});

/** A wall clock and timers the test moves and fires by hand; the poll never runs. */
function handDriven() {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const armed: Array<{ delayMs: number; fire: () => void }> = [];
  const timers: WorkerTimers = {
    once: (delayMs, fire) => void armed.push({ delayMs, fire }),
    every: () => () => undefined,
  };
  return { clock, armed, timers, now: () => clock.now };
}

/** A worker whose first attempt is throttled with a Retry-After of 100 ms and whose second succeeds. */
function retriedOnce(hand: ReturnType<typeof handDriven>) {
  const store = openSqliteStore({ path: ':memory:', now: hand.now });
  const attemptsAt: number[] = [];
  const handle = async (): Promise<HandlingOutcome> => {
    attemptsAt.push(hand.now());
    return attemptsAt.length === 1 ? { kind: 'throttled', reason: 'throttled', retryAfterMs: 100 } : { kind: 'done' };
  };
  const policy = { baseDelayMs: 50, maxDelayMs: 1000, maxAttempts: 3 };
  const worker = new OutboxWorker({
    store,
    queue: 'to-flex',
    readPayload: readText,
    handle,
    retryPolicy: policy,
    logger: silent,
    now: hand.now,
    timers: hand.timers,
  });
  return { store, worker, attemptsAt };
}

test('a retry is taken up when it falls due, not at the next poll', async () => {
  const hand = handDriven();
  const { store, worker, attemptsAt } = retriedOnce(hand);
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'once' });
  worker.start();
  const wakeUp = await eventually(() => hand.armed.shift(), 'the wake-up for the retry armed');
  assert.equal(wakeUp.delayMs, 100, 'armed for the Retry-After');
  hand.clock.now += 100;
  wakeUp.fire();
  await eventually(() => attemptsAt.length === 2, 'the retry ran');
  await worker.stop();
  assert.deepEqual(
    attemptsAt.map((at) => at - attemptsAt[0]!),
    [0, 100],
    'taken up when due, with no poll',
  );
  assert.deepEqual(await store.countOutbox(), []);
  await store.close();
});

test('a wake-up that fires while the wall clock is still short of the due time is armed again for the rest', async () => {
  const hand = handDriven();
  const { store, worker, attemptsAt } = retriedOnce(hand);
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'once' });
  worker.start();
  const wakeUp = await eventually(() => hand.armed.shift(), 'the wake-up for the retry armed');
  // The timer ran on the monotonic clock, which went 3 ms further than the wall clock.
  hand.clock.now += wakeUp.delayMs - 3;
  wakeUp.fire();
  assert.deepEqual(
    hand.armed.map((timer) => timer.delayMs),
    [3],
    'armed again for the 3 ms left, rather than left to the next poll',
  );
  hand.clock.now += 3;
  hand.armed.shift()!.fire();
  await eventually(() => attemptsAt.length === 2, 'the retry ran once due');
  await worker.stop();
  assert.deepEqual(
    attemptsAt.map((at) => at - attemptsAt[0]!),
    [0, 100],
  );
  await store.close();
});

test("a released slot is taken up by another key's entry while the entry that released it stays the head of its own key", async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const events: string[] = [];
  let finishDownload!: () => void;
  const download = new Promise<void>((resolve) => (finishDownload = resolve));
  const handle = async (item: OutboxItem<string>, context: HandlingContext): Promise<HandlingOutcome> => {
    events.push(`start ${item.payload}`);
    if (item.payload === 'a picture') {
      context.releaseSlot();
      await download;
    }
    events.push(`done ${item.payload}`);
    return { kind: 'done' };
  };
  const worker = new OutboxWorker({
    store,
    queue: 'to-flex',
    readPayload: readText,
    handle,
    retryPolicy: quickRetries,
    logger: silent,
    pollIntervalMs: 5,
    concurrency: 1,
  });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'a', payload: 'a picture' });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'a', payload: 'a text' });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'b', payload: 'b text' });
  worker.start();
  await eventually(() => events.includes('done b text'), "b's text, with the only slot released by a's picture");
  assert.deepEqual(events, ['start a picture', 'start b text', 'done b text'], "a's text waits for a's picture");
  finishDownload();
  await eventually(async () => (await store.countOutbox()).every((count) => count.pending === 0), 'all done');
  await worker.stop();
  assert.deepEqual(events.slice(3), ['done a picture', 'start a text', 'done a text']);
  await store.close();
});

test('stop() tells handlers waiting for a turn of their own, and waits for them to give up', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  let waiting = false;
  const handle = async (_item: OutboxItem<string>, context: HandlingContext): Promise<HandlingOutcome> => {
    context.releaseSlot();
    waiting = true;
    await new Promise((resolve) => context.stopping.addEventListener('abort', resolve, { once: true }));
    return { kind: 'throttled', reason: 'the worker is stopping' };
  };
  const worker = new OutboxWorker({ store, queue: 'to-flex', readPayload: readText, handle, retryPolicy: quickRetries, logger: silent, pollIntervalMs: 5 });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'picture' });
  worker.start();
  await eventually(() => waiting, 'the handler waiting');
  await worker.stop();
  assert.deepEqual(await store.countOutbox(), [{ queue: 'to-flex', pending: 1, failed: 0 }], 'left for later, not parked');
  await store.close();
});

test('the worker asks the store to search the whole queue when it starts, polls or a retry falls due, and only where its writes made entries due after a nudge', async () => {
  const hand = handDriven();
  let poll: () => void = () => undefined;
  const timers: WorkerTimers = {
    once: hand.timers.once,
    every: (_intervalMs, fire) => {
      poll = fire;
      return () => undefined;
    },
  };
  const sqlite = openSqliteStore({ path: ':memory:', now: hand.now });
  const scopes: string[] = [];
  const store: Store = new Proxy(sqlite, {
    get(target, property) {
      if (property === 'claimDue')
        return (...args: Parameters<Store['claimDue']>) => {
          scopes.push(args[4] ?? 'all');
          return target.claimDue(...args);
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  let attempts = 0;
  const handle = async (): Promise<HandlingOutcome> => {
    attempts += 1;
    return attempts === 1 ? { kind: 'transient', reason: 'once' } : { kind: 'done' };
  };
  const worker = new OutboxWorker({ store, queue: 'to-flex', readPayload: readText, handle, retryPolicy: quickRetries, logger: silent, now: hand.now, timers });
  worker.start();
  await eventually(() => scopes.length === 1, 'the first claim');
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: 'one' });
  worker.nudge();
  await eventually(() => attempts === 1, 'the first attempt');
  const wakeUp = await eventually(() => hand.armed.shift(), 'the wake-up for the retry armed');
  hand.clock.now += wakeUp.delayMs;
  wakeUp.fire();
  await eventually(() => attempts === 2, 'the retry ran');
  const everywhere = () => scopes.filter((scope) => scope === 'all').length;
  assert.equal(everywhere(), 2, `at start and when the retry fell due: ${scopes.join(', ')}`);
  poll();
  await eventually(() => everywhere() === 3, 'the poll searched everywhere');
  await worker.stop();
  await sqlite.close();
  assert.deepEqual(scopes.slice(0, 2), ['all', 'touched'], 'at start, then after the nudge');
});

/** A SQLite store that counts the outbox calls made through it once they answered, and lets a test hold enqueueAndClaim's answer back. */
function countingStore(hand: ReturnType<typeof handDriven>) {
  const sqlite = openSqliteStore({ path: ':memory:', now: hand.now });
  const calls = { claimDue: 0, enqueue: 0, enqueueAndClaim: 0 };
  const hold = { answer: undefined as Promise<void> | undefined, written: false, fail: undefined as Error | undefined };
  const store: Store = new Proxy(sqlite, {
    get(target, property) {
      if (property === 'claimDue' || property === 'enqueue') {
        return async (...args: unknown[]) => {
          const result: unknown = await (target[property] as (...args: unknown[]) => Promise<unknown>)(...args);
          calls[property] += 1;
          return result;
        };
      }
      if (property === 'enqueueAndClaim') {
        return async (...args: Parameters<Store['enqueueAndClaim']>) => {
          if (hold.fail) throw hold.fail;
          const result = await target.enqueueAndClaim(...args);
          calls.enqueueAndClaim += 1;
          hold.written = true;
          await hold.answer;
          return result;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { sqlite, store, calls, hold };
}

/** A started worker (no poll) whose first claim has answered, and whose handler waits for `finish(payload)`. */
async function queuingWorker(concurrency: number, leaseMs = 60_000) {
  const hand = handDriven();
  const counted = countingStore(hand);
  const events: string[] = [];
  const waiting = new Map<string, () => void>();
  const handle = async (item: OutboxItem<string>): Promise<HandlingOutcome> => {
    events.push(`start ${item.payload} (attempt ${item.attempts})`);
    await new Promise<void>((resolve) => waiting.set(item.payload, resolve));
    events.push(`done ${item.payload}`);
    return { kind: 'done' };
  };
  const worker = new OutboxWorker({
    store: counted.store,
    queue: 'to-flex',
    readPayload: readText,
    handle,
    retryPolicy: quickRetries,
    logger: silent,
    concurrency,
    leaseMs,
    now: hand.now,
    timers: hand.timers,
  });
  worker.start();
  await eventually(() => counted.calls.claimDue === 1, 'the first claim answered');
  const finish = async (payload: string) => (await eventually(() => waiting.get(payload), `${payload} in hand`))();
  const queue = (orderingKey: string, payload: string) => worker.queueEntry({ queue: 'to-flex', orderingKey, payload }, [`m:${payload}`]);
  return { ...counted, hand, worker, events, finish, queue };
}

test('queueEntry with a slot free: the entry is claimed in the write that queues it and handled with no claim of its own', async () => {
  const { sqlite, worker, calls, events, finish, queue } = await queuingWorker(2);
  assert.equal(await queue('k', 'one'), true);
  assert.deepEqual(events, ['start one (attempt 1)'], 'in hand as soon as it is written');
  assert.deepEqual(calls, { claimDue: 1, enqueue: 0, enqueueAndClaim: 1 }, 'no claim besides the one at start');
  assert.equal(await queue('k', 'one'), false, 'a duplicate is not queued');
  await finish('one');
  await eventually(async () => (await sqlite.countOutbox()).length === 0, 'completed');
  await worker.stop();
  await sqlite.close();
});

test('queueEntry with every slot busy: queued as by enqueue, and the pump takes it up once a slot is free', async () => {
  const { sqlite, worker, calls, events, finish, queue } = await queuingWorker(1);
  assert.equal(await queue('a', 'a1'), true);
  assert.equal(await queue('b', 'b1'), true);
  assert.deepEqual(events, ['start a1 (attempt 1)'], 'b1 waits for the only slot');
  assert.deepEqual([calls.enqueueAndClaim, calls.enqueue], [1, 1], 'b1 queued without a claim');
  await finish('a1');
  await finish('b1');
  assert.ok(calls.claimDue >= 2, 'b1 came through a claim');
  assert.deepEqual(events, ['start a1 (attempt 1)', 'done a1', 'start b1 (attempt 1)', 'done b1']);
  await worker.stop();
  await sqlite.close();
});

test('queueEntry keeps the order of one key: only its head is claimed on queuing, the rest follow one at a time', async () => {
  const { sqlite, worker, events, finish, queue } = await queuingWorker(4);
  for (const payload of ['a1', 'a2', 'a3']) assert.equal(await queue('a', payload), true);
  assert.equal(await queue('b', 'b1'), true);
  assert.deepEqual(events, ['start a1 (attempt 1)', 'start b1 (attempt 1)'], "another key's head goes beside a1, a2 waits behind it");
  await finish('a1');
  await finish('a2');
  await finish('a3');
  await finish('b1');
  assert.deepEqual(
    events.filter((event) => event.includes(' a')),
    ['start a1 (attempt 1)', 'done a1', 'start a2 (attempt 1)', 'done a2', 'start a3 (attempt 1)', 'done a3'],
  );
  await eventually(async () => (await sqlite.countOutbox()).length === 0, 'all completed');
  await worker.stop();
  await sqlite.close();
});

test('a claim whose write answers after stop() began is released at once, not handled nor left leased; stop() waits for it', { timeout: 10_000 }, async () => {
  const { sqlite, worker, hold, hand, events, queue } = await queuingWorker(2, 600_000);
  let answer!: () => void;
  hold.answer = new Promise<void>((resolve) => (answer = resolve));
  const queuing = queue('k', 'late');
  await eventually(() => hold.written, 'the entry written and leased');
  let stopped = false;
  const stopping = worker.stop().then(() => (stopped = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stopped, false, 'stop() waits for the write in flight');
  answer();
  assert.equal(await queuing, true, 'the producer still learns it was queued');
  await stopping;
  assert.deepEqual(events, [], 'not handled after the stop');
  const [again] = await sqlite.claimDue('to-flex', hand.now(), 10, 1000);
  assert.deepEqual([again?.payload, again?.attempts], ['late', 2], 'claimable at once, though its lease had 10 minutes to run');
  await sqlite.close();
});

test("queueEntry: the store's error reaches the producer and the reserved slot is given back", async () => {
  const { sqlite, worker, hold, events, finish, queue } = await queuingWorker(1);
  hold.fail = new Error('store down');
  await assert.rejects(queue('k', 'lost'), /store down/);
  hold.fail = undefined;
  assert.equal(await queue('k', 'next'), true);
  assert.deepEqual(events, ['start next (attempt 1)'], 'the only slot is free again');
  await finish('next');
  await worker.stop();
  await sqlite.close();
});
