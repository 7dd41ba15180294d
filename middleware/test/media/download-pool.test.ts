import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDownloadPool } from '../../src/media/download-pool.js';
import { refusal } from './media-refusal.js';

/** Work the test finishes by hand, recording when it started. */
function scripted(started: string[]) {
  const finishers = new Map<string, () => void>();
  return {
    work: (name: string) => () =>
      new Promise<string>((resolve) => {
        started.push(name);
        finishers.set(name, () => resolve(name));
      }),
    finish: async (name: string) => {
      finishers.get(name)!();
      // Let the pool hand the turn on.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

test('a host gets at most its share of the turns; other hosts go on; waiters start oldest first as their host has room', async () => {
  const pool = createDownloadPool({ total: 3, perHost: 2, waiting: 10 });
  const started: string[] = [];
  const { work, finish } = scripted(started);
  const runs = ['slow-1', 'slow-2', 'slow-3', 'fast-1', 'other-1', 'fast-2'].map((name) => pool.run(name.split('-')[0]!, work(name)));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, ['slow-1', 'slow-2', 'fast-1'], "slow-3 waits for its host's turn, other-1 and fast-2 for a turn at all");
  assert.deepEqual(pool.load(), { active: 3, waiting: 3 });

  await finish('fast-1');
  assert.deepEqual(started.slice(3), ['other-1'], 'the oldest waiter whose host has room, not slow-3');
  await finish('slow-1');
  assert.deepEqual(started.slice(4), ['slow-3']);
  for (const name of ['slow-2', 'other-1']) await finish(name);
  assert.deepEqual(started.slice(5), ['fast-2']);
  for (const name of ['slow-3', 'fast-2']) await finish(name);
  assert.deepEqual(await Promise.all(runs), ['slow-1', 'slow-2', 'slow-3', 'fast-1', 'other-1', 'fast-2']);
  assert.deepEqual(pool.load(), { active: 0, waiting: 0 });
});

test('a full queue turns an attachment away as throttled, to be retried later; a failed work gives its turn back', async () => {
  const pool = createDownloadPool({ total: 1, perHost: 1, waiting: 1 });
  const started: string[] = [];
  const { work, finish } = scripted(started);
  const first = pool.run('host', work('first'));
  const second = pool.run('host', work('second'));
  const turnedAway = await refusal(pool.run('host', work('third')));
  assert.deepEqual([turnedAway.retryable, turnedAway.throttled, turnedAway.reason], [true, true, 'too many attachments are waiting to be fetched']);
  assert.ok((turnedAway.retryAfterMs ?? 0) > 0, 'with a delay before the retry');
  await finish('first');
  assert.equal(await first, 'first');
  await finish('second');
  assert.equal(await second, 'second');
  await assert.rejects(
    pool.run('host', () => Promise.reject(new Error('boom'))),
    /boom/,
  );
  assert.deepEqual(started, ['first', 'second']);
  assert.deepEqual(pool.load(), { active: 0, waiting: 0 });
});

test('a waiter whose worker stops leaves the queue as throttled, without running', async () => {
  const pool = createDownloadPool({ total: 1, perHost: 1, waiting: 5 });
  const started: string[] = [];
  const { work, finish } = scripted(started);
  const running = pool.run('host', work('running'));
  const stopping = new AbortController();
  const waiting = pool.run('host', work('waiting'), stopping.signal);
  stopping.abort();
  const error = await refusal(waiting);
  assert.deepEqual([error.retryable, error.throttled], [true, true]);
  assert.deepEqual(pool.load(), { active: 1, waiting: 0 });
  await finish('running');
  await running;
  assert.deepEqual(started, ['running']);
  assert.deepEqual((await refusal(pool.run('host', work('late'), stopping.signal))).throttled, true, 'already stopped: not queued');
});
