/**
 * The web chat transcript on every engine: SQLite (one instance) and Redis, single or a
 * cluster (shared by every instance, with the fan-out to sockets built into each append).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openRedisWebchatLog } from '../../src/webchat/redis-webchat-log.js';
import type { LoggedEvent } from '../../src/webchat/visitor-connections.js';
import { openWebchatLog, WEBCHAT_MIGRATIONS, type WebchatLog } from '../../src/webchat/webchat-log.js';
import { startRedisServer } from '@custom-channels/test-kit/redis-server';
import { startRedisCluster } from '@custom-channels/test-kit/redis-cluster';
import { eventually } from '@custom-channels/test-kit/poll';

const [redis, cluster] = await Promise.all([startRedisServer(), startRedisCluster()]);
const opened: WebchatLog[] = [];
after(async () => {
  await Promise.all(opened.map((log) => log.close()));
  await Promise.all([redis.stop(), cluster.stop()]);
});

type Heard = Array<[string, string, LoggedEvent]>;
const engines: Record<string, (now: () => number, heard: Heard, prefix: string) => Promise<WebchatLog>> = {
  sqlite: async (now) => openWebchatLog({ path: ':memory:', now }),
  redis: (now, heard, keyPrefix) => openRedisWebchatLog({ url: redis.url, keyPrefix, now, onEvent: (c, v, e) => heard.push([c, v, e]) }),
  'redis cluster': (now, heard, keyPrefix) => openRedisWebchatLog({ url: cluster.url, keyPrefix, now, onEvent: (c, v, e) => heard.push([c, v, e]) }),
};

for (const [engine, open] of Object.entries(engines)) {
  describe(`${engine} web chat log`, () => {
    test('numbers each visitor 1, 2, 3, keeps an event once per key; pruning drops old content, not the numbering', async () => {
      let now = 1000;
      const log = await open(() => now, [], `test-${randomUUID()}`);
      opened.push(log);
      const message = (id: string) => ({ kind: 'agent-message' as const, id, text: `text/${id} "quoted"`, at: now });
      assert.equal((await log.append('webchat', 'v_a', 'agent:1', message('1'))).seq, 1);
      assert.equal((await log.append('webchat', 'v_b', 'agent:x', message('x'))).seq, 1);
      assert.equal((await log.append('webchat', 'v_a', 'agent:2', message('2'))).seq, 2);
      const again = await log.append('webchat', 'v_a', 'agent:1', message('1'));
      assert.deepEqual([again.seq, again.created, again.event], [1, false, message('1')]);
      assert.deepEqual(await log.read('webchat', 'v_a', 0, 1), [{ seq: 2, event: message('2') }], 'the latest when limited');
      now = 5000;
      assert.equal((await log.append('webchat', 'v_b', 'agent:y', message('y'))).seq, 2);
      assert.equal(await log.prune(4000), 3, 'every event logged before, the latest ones included');
      assert.deepEqual(await log.read('webchat', 'v_a', 0, 10), []);
      assert.deepEqual(
        (await log.read('webchat', 'v_b', 0, 10)).map((entry) => entry.seq),
        [2],
      );
      assert.equal((await log.append('webchat', 'v_a', 'agent:3', message('3'))).seq, 3, 'numbering carries on');
      assert.deepEqual(
        (await log.read('webchat', 'v_a', 2, 10)).map((entry) => entry.seq),
        [3],
      );
      assert.equal(typeof log.epoch, 'string');
    });

    test('reads a page at a time, oldest first, within a count and a byte budget; knows the last number and the keys', async () => {
      const log = await open(() => 1000, [], `test-${randomUUID()}`);
      opened.push(log);
      const message = (id: string, size: number) => ({ kind: 'agent-message' as const, id, text: 'z'.repeat(size), at: 1000 });
      assert.equal(await log.lastSeq('webchat', 'v_p'), 0);
      for (let index = 1; index <= 30; index += 1) await log.append('webchat', 'v_p', `agent:${index}`, message(String(index), 100));
      const seqs = (entries: LoggedEvent[]) => entries.map((entry) => entry.seq);
      assert.deepEqual(seqs(await log.readPage('webchat', 'v_p', 0, { limit: 3, maxBytes: 1_000_000 })), [1, 2, 3]);
      assert.deepEqual(seqs(await log.readPage('webchat', 'v_p', 10, { limit: 50, maxBytes: 250 })), [11, 12], 'stops once the events read reach 250 bytes');
      assert.deepEqual(seqs(await log.readPage('webchat', 'v_p', 10, { limit: 50, maxBytes: 1 })), [11], 'at least one');
      assert.deepEqual(seqs(await log.readPage('webchat', 'v_p', 25, { limit: 50, maxBytes: 1_000_000 })), [26, 27, 28, 29, 30]);
      assert.deepEqual(await log.readPage('webchat', 'v_p', 30, { limit: 50, maxBytes: 1_000_000 }), []);
      assert.deepEqual(await log.readPage('webchat', 'v_other', 0, { limit: 50, maxBytes: 1_000_000 }), []);
      assert.equal(await log.lastSeq('webchat', 'v_p'), 30);
      assert.equal(await log.has('webchat', 'v_p', 'agent:7'), true);
      assert.equal(await log.has('webchat', 'v_p', 'agent:31'), false);
      await log.forget('webchat', 'v_p');
      assert.equal(await log.lastSeq('webchat', 'v_p'), 30, 'the number outlives the content');
      assert.equal(await log.has('webchat', 'v_p', 'agent:7'), false);
    });

    test("forgetting a visitor removes their transcript, nobody else's; their numbering carries on", async () => {
      const log = await open(() => 1000, [], `test-${randomUUID()}`);
      opened.push(log);
      const message = (id: string) => ({ kind: 'agent-message' as const, id, text: 'personal', at: 1000 });
      await log.append('webchat', 'v_a', 'agent:1', message('1'));
      await log.append('webchat', 'v_a', 'agent:2', message('2'));
      await log.append('webchat', 'v_b', 'agent:1', message('1'));
      await log.append('other', 'v_a', 'agent:1', message('1'));
      assert.equal(await log.forget('webchat', 'v_a'), 2);
      assert.deepEqual(await log.read('webchat', 'v_a', 0, 10), []);
      assert.equal((await log.read('webchat', 'v_b', 0, 10)).length, 1);
      assert.equal((await log.read('other', 'v_a', 0, 10)).length, 1);
      const next = await log.append('webchat', 'v_a', 'agent:1', message('1'));
      assert.deepEqual([next.seq, next.created], [3, true], 'a browser still holding the token misses nothing');
      assert.equal(await log.forget('webchat', 'v_a'), 1);
    });
  });
}

for (const engine of ['redis', 'redis cluster']) {
  test(`${engine}: every instance hears every append, in seq order, and shares the epoch`, async () => {
    const prefix = `test-${randomUUID()}`;
    const heardA: Heard = [];
    const heardB: Heard = [];
    const a = await engines[engine]!(Date.now, heardA, prefix);
    const b = await engines[engine]!(Date.now, heardB, prefix);
    opened.push(a, b);
    assert.equal(a.epoch, b.epoch);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? a : b).append('webchat', 'v_x', `agent:${i}`, {
          kind: 'agent-message',
          id: `m${i}`,
          text: 't',
          at: 1,
        }),
      ),
    );
    for (const heard of [heardA, heardB]) {
      const seqs = await eventually(() => heard.length === 40 && heard.map(([, , entry]) => entry.seq), 'all 40 events heard');
      assert.deepEqual(
        seqs,
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
    }
  });
}

test('sqlite: a transcript written before the numbering table keeps its numbers', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'webchat-')), 'middleware.sqlite');
  const db = new Database(path);
  db.exec(WEBCHAT_MIGRATIONS[0]!);
  db.exec('CREATE TABLE webchat_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL); INSERT INTO webchat_migrations VALUES (1, 0)');
  const insert = db.prepare('INSERT INTO webchat_events (channel_type, visitor_id, seq, event_key, payload, created_at) VALUES (?, ?, ?, ?, ?, 0)');
  for (const seq of [1, 2, 3]) insert.run('webchat', 'v_old', seq, `agent:${seq}`, '{}');
  db.close();
  const log = openWebchatLog({ path });
  opened.push(log);
  assert.equal((await log.append('webchat', 'v_old', 'agent:4', { kind: 'agent-message', id: '4', text: 't', at: 1 })).seq, 4);
});
