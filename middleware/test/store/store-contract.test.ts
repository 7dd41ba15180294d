/**
 * One behaviour, two engines: every Store implementation must pass the same cases, so the
 * middleware cannot tell SQLite from Redis.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { openRedisStore } from '../../src/store/redis/redis-store.js';
import type { OutboxEntry, Session, Store } from '../../src/store/store.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

let redis: RedisServer;
let clock = 1_000;
const now = () => clock;
const opened: Store[] = [];

before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await redis.stop();
});

const engines: Record<string, () => Store> = {
  sqlite: () => openSqliteStore({ path: ':memory:', now }),
  redis: () => openRedisStore({ url: redis.url, keyPrefix: `test-${randomUUID()}`, now }),
};

const session = (id: string, customerId = 'c1'): Session => ({
  id,
  channelType: 'chatapp',
  customerId,
  customerName: 'Ann',
  identity: `chatapp_${customerId}`,
  mode: 'conversations',
  state: 'creating',
  resources: {},
  createdAt: 1,
});
const entry = (orderingKey: string, n: number): OutboxEntry => ({ queue: 'to-flex', orderingKey, payload: { n } });

for (const [engine, open] of Object.entries(engines)) {
  describe(`${engine} store`, () => {
    const fresh = () => {
      const store = open();
      opened.push(store);
      return store;
    };

    test('one active session per customer and channel, across the session lifecycle', async () => {
      const store = fresh();
      assert.equal(await store.insertSession(session('s1')), true);
      assert.equal(await store.insertSession(session('s2')), false);
      assert.equal(await store.insertSession({ ...session('s3'), channelType: 'webchat' }), true);
      await store.recordSessionResources('s1', { conversationSid: 'CH1' });
      await store.recordSessionResources('s1', { taskSid: 'WT1' });
      await store.markSessionOpen('s1');
      const active = await store.findActiveSession('chatapp', 'c1');
      assert.equal(active?.state, 'open');
      assert.deepEqual(active?.resources, { conversationSid: 'CH1', taskSid: 'WT1' });
      assert.equal((await store.findSessionByConversationSid('CH1'))?.id, 's1');

      const followUp: OutboxEntry = { queue: 'to-channel', orderingKey: 's1', payload: { type: 'ended' } };
      assert.equal(await store.closeSession('s1', 5, followUp), true);
      assert.equal(await store.closeSession('s1', 6, followUp), false, 'closing twice queues nothing');
      assert.equal(await store.findActiveSession('chatapp', 'c1'), undefined);
      assert.equal((await store.findSessionByConversationSid('CH1'))?.state, 'closed');
      assert.deepEqual((await store.claimDue('to-channel', clock, 10, 1000)).map((item) => item.payload), [{ type: 'ended' }]);
      assert.equal(await store.insertSession(session('s4')), true, 'a closed session frees the customer');
    });

    test('a deleted (rolled back) session frees the customer and its conversation', async () => {
      const store = fresh();
      await store.insertSession(session('s1'));
      await store.recordSessionResources('s1', { conversationSid: 'CH9' });
      await store.deleteSession('s1');
      assert.equal(await store.findActiveSession('chatapp', 'c1'), undefined);
      assert.equal(await store.findSessionByConversationSid('CH9'), undefined);
      assert.equal(await store.insertSession(session('s2')), true);
    });

    test('concurrent inserts for one customer: exactly one wins', async () => {
      const store = fresh();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.insertSession(session(`s${i}`))));
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('dedupe keys: a key seen before blocks the entry, every key is remembered', async () => {
      const store = fresh();
      assert.equal(await store.enqueue(entry('k', 1), ['a']), true);
      assert.equal(await store.enqueue(entry('k', 2), ['a']), false);
      assert.equal(await store.enqueue(entry('k', 3), ['b', 'a']), false);
      assert.equal(await store.enqueue(entry('k', 4), ['b']), false, 'b was remembered by the refused call');
      assert.equal(await store.enqueue(entry('k', 5)), true, 'no keys, no dedupe');
      assert.deepEqual(await store.countOutbox(), [{ queue: 'to-flex', pending: 2, failed: 0 }]);
    });

    test('one entry per ordering key at a time, oldest first, leased against other workers', async () => {
      const store = fresh();
      for (let n = 1; n <= 3; n += 1) await store.enqueue(entry('a', n));
      await store.enqueue(entry('b', 1));
      const first = await store.claimDue('to-flex', clock, 10, 1000);
      assert.deepEqual(first.map((item) => [item.orderingKey, item.payload, item.attempts]), [
        ['a', { n: 1 }, 1],
        ['b', { n: 1 }, 1],
      ]);
      assert.deepEqual(await store.claimDue('to-flex', clock, 10, 1000), [], 'leased heads block their keys');
      await store.complete(first[0]!.id);
      assert.deepEqual((await store.claimDue('to-flex', clock, 10, 1000)).map((item) => item.payload), [{ n: 2 }]);
      clock += 1001;
      const afterLease = await store.claimDue('to-flex', clock, 10, 1000);
      assert.deepEqual(afterLease.map((item) => [item.orderingKey, item.payload, item.attempts]), [
        ['a', { n: 2 }, 2],
        ['b', { n: 1 }, 2],
      ], 'an expired lease (a crashed worker) hands the entry out again');
    });

    test('retryLater holds the key until due; markFailed parks the entry and frees the key', async () => {
      const store = fresh();
      await store.enqueue(entry('a', 1));
      await store.enqueue(entry('a', 2));
      const [head] = await store.claimDue('to-flex', clock, 10, 1000);
      await store.retryLater(head!.id, clock + 500, '503 from Twilio');
      assert.deepEqual(await store.claimDue('to-flex', clock + 499, 10, 1000), [], 'the next entry waits behind the retry');
      const [retried] = await store.claimDue('to-flex', clock + 500, 10, 1000);
      assert.deepEqual([retried?.id, retried?.attempts], [head!.id, 2]);
      await store.markFailed(retried!.id, '400: bad request');
      const [next] = await store.claimDue('to-flex', clock + 500, 10, 1000);
      assert.deepEqual(next?.payload, { n: 2 });
      assert.deepEqual(await store.countOutbox(), [{ queue: 'to-flex', pending: 1, failed: 1 }]);
      await store.complete(next!.id);
      assert.deepEqual(await store.countOutbox(), [{ queue: 'to-flex', pending: 0, failed: 1 }]);
    });

    test('renewLease keeps a claimed entry from other workers, only for the claim that holds it', async () => {
      const store = fresh();
      await store.enqueue(entry('a', 1));
      await store.enqueue(entry('a', 2));
      const [claimed] = await store.claimDue('to-flex', clock, 10, 1000);
      assert.equal(await store.renewLease(claimed!.id, claimed!.attempts, clock + 5000), true);
      assert.deepEqual(await store.claimDue('to-flex', clock + 1001, 10, 1000), [], 'renewed: still held past the first lease');
      assert.equal(await store.renewLease(claimed!.id, claimed!.attempts + 1, clock + 9000), false, 'another claim');
      const [again] = await store.claimDue('to-flex', clock + 5000, 10, 1000);
      assert.deepEqual([again?.id, again?.attempts], [claimed!.id, 2], 'expired renewal: handed out again');
      assert.equal(await store.renewLease(claimed!.id, claimed!.attempts, clock + 9000), false, 'the first claim is over');
      assert.equal(await store.renewLease(again!.id, again!.attempts, clock + 9000), true);
      await store.retryLater(again!.id, clock + 5000, 'busy');
      assert.equal(await store.renewLease(again!.id, again!.attempts, clock + 9000), false, 'released');
      const [third] = await store.claimDue('to-flex', clock + 5000, 10, 1000);
      await store.complete(third!.id);
      assert.equal(await store.renewLease(third!.id, third!.attempts, clock + 9000), false, 'completed');
    });

    test('dead letters: listed oldest first with reason and attempts, retried one at a time behind pending entries', async () => {
      const store = fresh();
      await store.enqueue(entry('a', 1));
      await store.enqueue(entry('a', 2));
      await store.enqueue({ queue: 'to-channel', orderingKey: 'b', payload: { n: 'b1' } });
      const [a1] = await store.claimDue('to-flex', clock, 10, 1000);
      await store.markFailed(a1!.id, 'Twilio answered 400 (error 20001): bad parameter');
      const [b1] = await store.claimDue('to-channel', clock, 10, 1000);
      await store.markFailed(b1!.id, 'delivery URL answered 410');

      const letters = await store.listDeadLetters();
      assert.deepEqual(
        letters.map((letter) => [letter.id, letter.queue, letter.orderingKey, letter.payload, letter.attempts, letter.reason, letter.failedAt]),
        [
          [a1!.id, 'to-flex', 'a', { n: 1 }, 1, 'Twilio answered 400 (error 20001): bad parameter', clock],
          [b1!.id, 'to-channel', 'b', { n: 'b1' }, 1, 'delivery URL answered 410', clock],
        ],
      );
      assert.deepEqual((await store.listDeadLetters({ queue: 'to-channel' })).map((letter) => letter.id), [b1!.id]);
      assert.deepEqual((await store.listDeadLetters({ afterId: a1!.id })).map((letter) => letter.id), [b1!.id]);
      assert.deepEqual((await store.listDeadLetters({ limit: 1 })).map((letter) => letter.id), [a1!.id]);

      // a2 is in flight: the retried a1 must not run beside it, so it goes behind it.
      const [a2] = await store.claimDue('to-flex', clock, 10, 1000);
      assert.deepEqual(a2?.payload, { n: 2 });
      const requeued = await store.retryDeadLetter(a1!.id);
      assert.ok(requeued !== undefined && requeued > a2!.id);
      assert.equal(await store.retryDeadLetter(a1!.id), undefined, 'no longer a dead letter');
      assert.equal(await store.retryDeadLetter(a2!.id), undefined, 'a pending entry is not a dead letter');
      assert.deepEqual(await store.claimDue('to-flex', clock, 10, 1000), [], 'one entry of a key at a time');
      await store.complete(a2!.id);
      const [retried] = await store.claimDue('to-flex', clock, 10, 1000);
      assert.deepEqual([retried?.id, retried?.payload, retried?.attempts, retried?.createdAt], [requeued, { n: 1 }, 1, a1!.createdAt]);
      assert.deepEqual((await store.listDeadLetters()).map((letter) => letter.id), [b1!.id]);
      assert.deepEqual(
        (await store.countOutbox()).sort((x, y) => x.queue.localeCompare(y.queue)),
        [
          { queue: 'to-channel', pending: 0, failed: 1 },
          { queue: 'to-flex', pending: 1, failed: 0 },
        ],
      );
    });

    test('the limit bounds a claim; queues are independent', async () => {
      const store = fresh();
      for (let k = 0; k < 5; k += 1) await store.enqueue(entry(`k${k}`, k));
      await store.enqueue({ queue: 'to-channel', orderingKey: 'k0', payload: { n: 'x' } });
      assert.equal((await store.claimDue('to-flex', clock, 3, 1000)).length, 3);
      assert.equal((await store.claimDue('to-flex', clock, 3, 1000)).length, 2);
      assert.deepEqual((await store.claimDue('to-channel', clock, 3, 1000)).map((item) => item.payload), [{ n: 'x' }]);
    });
  });
}

