import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { OutboxWorker, type HandlingOutcome } from '../src/outbox/outbox-worker.js';
import { retryDelayMs } from '../src/outbox/backoff.js';
import type { OutboxItem } from '../src/store/store.js';
import { eventually } from './helpers/poll.js';

const quickRetries = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 };
const silent = pino({ level: 'silent' });

test('each key in order despite failures, keys in parallel, failures parked after the last attempt', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const handled: string[] = [];
  const attemptsOf = new Map<string, number>();
  const handle = async (item: OutboxItem): Promise<HandlingOutcome> => {
    const name = item.payload as string;
    attemptsOf.set(name, (attemptsOf.get(name) ?? 0) + 1);
    if (name === 'a2' && attemptsOf.get(name)! < 3) return { kind: 'retry', reason: 'flaky' };
    if (name === 'b1') return { kind: 'retry', reason: 'always down' };
    if (name === 'c1') throw new Error('unexpected');
    handled.push(name);
    return { kind: 'done' };
  };
  const worker = new OutboxWorker({ store, queue: 'to-flex', handle, retryPolicy: quickRetries, logger: silent, pollIntervalMs: 5 });
  worker.start();
  for (const name of ['a1', 'a2', 'a3', 'b1', 'b2', 'c1']) {
    await store.enqueue({ queue: 'to-flex', orderingKey: name[0]!, payload: name });
    worker.nudge();
  }
  await eventually(async () => (await store.countOutbox())[0]?.pending === 0, 'outbox drained');
  await worker.stop();

  assert.deepEqual(handled.filter((name) => name.startsWith('a')), ['a1', 'a2', 'a3']);
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
  const handle = async (item: OutboxItem): Promise<HandlingOutcome> => {
    started.push(item.payload as string);
    await new Promise<void>((resolve) => (release = resolve));
    return { kind: 'done' };
  };
  const worker = new OutboxWorker({ store, queue: 'to-channel', handle, retryPolicy: quickRetries, logger: silent, pollIntervalMs: 5 });
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
