import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';
import { runRetention, startRetentionJob } from '../../src/retention/retention-job.js';
import { DEFAULT_RETENTION } from '../../src/retention/retention-policy.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { eventually } from '@custom-channels/test-kit/poll';

const policy = { ...DEFAULT_RETENTION, transcriptMs: 100, dedupeMs: 100 };

function parts(clock: { now: number }) {
  const now = () => clock.now;
  const store = openSqliteStore({ path: ':memory:', now, retention: policy });
  return { store, transcripts: store.transcripts, now };
}

test('one pass prunes the store and the transcripts by their retentions', async () => {
  const clock = { now: 1000 };
  const { store, transcripts, now } = parts(clock);
  await transcripts.append('webchat', 'v_a', 'agent:1', { kind: 'agent-message', id: '1', text: 'personal', at: 1000 });
  await store.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: {} }, ['inbound:webchat:1']);
  const pass = () => runRetention({ store, transcripts, policy, logger: createLogger('silent'), now });
  clock.now = 1100;
  assert.deepEqual(await pass(), { closedSessions: 0, deadLetters: 0, dedupeKeys: 0, erasureTombstones: 0, transcriptEvents: 0 });
  clock.now = 1101;
  assert.deepEqual(await pass(), { closedSessions: 0, deadLetters: 0, dedupeKeys: 1, erasureTombstones: 0, transcriptEvents: 1 });
  assert.deepEqual(await transcripts.read('webchat', 'v_a', 0, 10), []);
  await store.close();
});

test('the job runs at once and on its interval, logs counts only, and stops', async () => {
  const clock = { now: 1000 };
  const { store, transcripts, now } = parts(clock);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const stop = startRetentionJob({ store, transcripts, policy, logger, now, intervalMs: 20 });
  await transcripts.append('webchat', 'v_a', 'agent:1', {
    kind: 'agent-message',
    id: '1',
    text: 'personal text',
    at: 1000,
  });
  clock.now = 2000;
  const line = await eventually(() => lines.find((one) => one.includes('retention: removed')), 'a retention line');
  assert.match(line, /"transcriptEvents":1/);
  assert.ok(!line.includes('personal text') && !line.includes('v_a'));
  await stop();
  await transcripts.append('webchat', 'v_b', 'agent:1', { kind: 'agent-message', id: '1', text: 't', at: 1000 });
  clock.now = 3000;
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal((await transcripts.read('webchat', 'v_b', 0, 10)).length, 1, 'stopped: nothing pruned any more');
  await store.close();
});
