/**
 * The web chat transcript on both engines: SQLite (one instance) and Redis (shared by
 * every instance, with the fan-out to sockets built into each append).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openRedisWebchatLog } from '../../src/webchat/redis-webchat-log.js';
import type { LoggedEvent } from '../../src/webchat/visitor-connections.js';
import { openWebchatLog, type WebchatLog } from '../../src/webchat/webchat-log.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { eventually } from '../helpers/poll.js';

let redis: RedisServer;
const opened: WebchatLog[] = [];
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await Promise.all(opened.map((log) => log.close()));
  await redis.stop();
});

type Heard = Array<[string, string, LoggedEvent]>;
const engines: Record<string, (now: () => number, heard: Heard, prefix: string) => Promise<WebchatLog>> = {
  sqlite: async (now) => openWebchatLog({ path: ':memory:', now }),
  redis: (now, heard, keyPrefix) => openRedisWebchatLog({ url: redis.url, keyPrefix, now, onEvent: (c, v, e) => heard.push([c, v, e]) }),
};

for (const [engine, open] of Object.entries(engines)) {
  describe(`${engine} web chat log`, () => {
    test('numbers each visitor 1, 2, 3, keeps an event once per key, pruning keeps the latest', async () => {
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
      assert.equal(await log.prune(4000), 1, "v_a's first; each visitor's latest stays");
      assert.equal((await log.append('webchat', 'v_a', 'agent:3', message('3'))).seq, 3);
      assert.deepEqual((await log.read('webchat', 'v_a', 0, 10)).map((entry) => entry.seq), [2, 3]);
      assert.deepEqual((await log.read('webchat', 'v_a', 2, 10)).map((entry) => entry.seq), [3]);
      assert.equal(typeof log.epoch, 'string');
    });
  });
}

test('redis: every instance hears every append, in seq order, and shares the epoch', async () => {
  const prefix = `test-${randomUUID()}`;
  const heardA: Heard = [];
  const heardB: Heard = [];
  const a = await engines.redis!(Date.now, heardA, prefix);
  const b = await engines.redis!(Date.now, heardB, prefix);
  opened.push(a, b);
  assert.equal(a.epoch, b.epoch);
  await Promise.all(
    Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).append('webchat', 'v_x', `agent:${i}`, { kind: 'agent-message', id: `m${i}`, text: 't', at: 1 })),
  );
  for (const heard of [heardA, heardB]) {
    const seqs = await eventually(() => heard.length === 40 && heard.map(([, , entry]) => entry.seq), 'all 40 events heard');
    assert.deepEqual(seqs, Array.from({ length: 40 }, (_, i) => i + 1));
  }
});
