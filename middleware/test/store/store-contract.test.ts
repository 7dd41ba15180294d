/**
 * One behaviour, every engine: each Store implementation must pass the same cases, so the
 * middleware cannot tell SQLite from Redis, nor a single Redis from a Redis Cluster.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { Redis } from 'ioredis';
import { openRedisStore } from '../../src/store/redis/redis-store.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../../src/retention/retention-policy.js';
import { customerOrderingKey, type DeadLetter, type OutboxEntry, type Session, type Store, type TombstonePolicy } from '../../src/store/store.js';
import { parseDatabaseUrl, type RedisLocation } from '../../src/store/database-url.js';
import type { TranscriptEntry } from '../../src/store/transcripts.js';
import type { StoredSurvey } from '../../src/store/surveys.js';
import { startRedisServer } from '@custom-channels/test-kit/redis-server';
import { eventually } from '@custom-channels/test-kit/poll';
import { startRedisCluster } from '@custom-channels/test-kit/redis-cluster';

const [redis, cluster] = await Promise.all([startRedisServer(), startRedisCluster()]);
const redisAt = (url: string) => parseDatabaseUrl(url, '.') as RedisLocation;
const locations: Record<string, RedisLocation> = { redis: redisAt(redis.url), 'redis cluster': redisAt(cluster.url) };
let clock = 1_000;
const now = () => clock;
const opened: Store[] = [];
after(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await Promise.all([redis.stop(), cluster.stop()]);
});

const engines: Record<string, (retention?: RetentionPolicy, tombstones?: TombstonePolicy) => Store> = {
  sqlite: (retention, tombstones) => openSqliteStore({ path: ':memory:', now, retention, tombstones }),
  redis: (retention, tombstones) => openRedisStore({ location: locations.redis!, keyPrefix: `test-${randomUUID()}`, now, retention, tombstones }),
  'redis cluster': (retention, tombstones) =>
    openRedisStore({ location: locations['redis cluster']!, keyPrefix: `test-${randomUUID()}`, now, retention, tombstones }),
};
/** Redis TTLs run on its own clock: let that much real time pass too. */
const letPass = async (engine: string, ms: number) => {
  clock += ms;
  if (engine !== 'sqlite') await new Promise((resolve) => setTimeout(resolve, ms));
};

const session = (id: string, customerId = 'c1'): Session => ({
  id,
  channelType: 'chatapp',
  customerId,
  customerName: 'Ann',
  identity: `chatapp_${customerId}`,
  state: 'creating',
  resources: {},
  createdAt: 1,
});
const entry = (orderingKey: string, n: number): OutboxEntry => ({ queue: 'to-flex', orderingKey, payload: { n } });

for (const [engine, open] of Object.entries(engines)) {
  describe(`${engine} store`, () => {
    const fresh = (retention?: RetentionPolicy, tombstones?: TombstonePolicy) => {
      const store = open(retention, tombstones);
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
      assert.deepEqual(
        (await store.claimDue('to-channel', clock, 10, 1000)).map((item) => item.payload),
        [{ type: 'ended' }],
      );
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

    test('enqueueAndClaim leases the head of its key in the write that queues it; an entry behind a head is queued only', async () => {
      const store = fresh();
      const first = await store.enqueueAndClaim(entry('a', 1), ['a:1'], clock, 1000);
      assert.equal(first.queued, true);
      assert.deepEqual(
        [first.claimed?.queue, first.claimed?.orderingKey, first.claimed?.payload, first.claimed?.attempts, first.claimed?.createdAt],
        ['to-flex', 'a', { n: 1 }, 1, clock],
      );
      assert.deepEqual(await store.claimDue('to-flex', clock, 10, 1000), [], 'leased: a claim right after finds nothing');
      assert.equal(await store.renewLease(first.claimed!.id, 1, clock + 1000), true, 'the claim it handed out holds the entry');
      assert.deepEqual(await store.enqueueAndClaim(entry('a', 2), ['a:2'], clock, 1000), { queued: true }, 'behind the head: queued, not claimed');
      assert.deepEqual(await store.claimDue('to-flex', clock + 999, 10, 1000), [], 'the entry behind waits for the head');

      const [again] = await store.claimDue('to-flex', clock + 1000, 10, 1000);
      assert.deepEqual(again, { ...first.claimed, attempts: 2 }, 'once the lease passed, claimable again, as claimDue hands entries out');
      await store.complete(again!.id);
      const [next] = await store.claimDue('to-flex', clock + 1000, 10, 1000);
      assert.deepEqual([next?.payload, next?.attempts], [{ n: 2 }, 1], 'claimed once the first completed');
      await store.complete(next!.id);
      const third = await store.enqueueAndClaim(entry('a', 3), [], clock, 1000);
      assert.deepEqual([third.queued, third.claimed?.payload], [true, { n: 3 }], 'its key free again: the head, claimed');
    });

    test("enqueueAndClaim reads the customer's active session in the write that claims, for entries that customer orders", async () => {
      const store = fresh();
      const theirs = customerOrderingKey('chatapp', 'c1');
      const c1 = { channelType: 'chatapp', customerId: 'c1' };
      const none = await store.enqueueAndClaim(entry(theirs, 1), [], clock, 1000, { sessionOf: c1 });
      assert.equal(none.claimed?.activeSession, null, 'no session yet: null, not absent');
      await store.complete(none.claimed!.id);

      await store.insertSession(session('s1'));
      const creating = await store.enqueueAndClaim(entry(theirs, 2), [], clock, 1000, { sessionOf: c1 });
      assert.deepEqual(creating.claimed?.activeSession, session('s1'), 'a session being created is the active one');
      assert.deepEqual(
        await store.enqueueAndClaim(entry(theirs, 3), [], clock, 1000, { sessionOf: c1 }),
        { queued: true },
        'behind the head: nothing claimed, nothing read',
      );
      await store.complete(creating.claimed!.id);
      await store.markSessionOpen('s1');
      const [behind] = await store.claimDue('to-flex', clock, 10, 1000);
      assert.deepEqual([behind?.payload, behind?.activeSession], [{ n: 3 }, undefined], 'a claim of its own reads nothing along');
      await store.complete(behind!.id);

      const open = await store.enqueueAndClaim(entry(theirs, 4), [], clock, 1000, { sessionOf: c1 });
      assert.deepEqual(open.claimed?.activeSession, { ...session('s1'), state: 'open' });
      const another = await store.enqueueAndClaim(entry(customerOrderingKey('chatapp', 'c2'), 5), [], clock, 1000, { sessionOf: c1 });
      assert.equal(another.claimed !== undefined && 'activeSession' in another.claimed, false, "an entry another customer's key orders: not read");
    });

    test('enqueueAndClaim: a duplicate or a tombstoned dedupe key neither queues nor claims', async () => {
      const tombstones: TombstonePolicy = { hash: (key) => createHmac('sha256', 'tombstone-key').update(key).digest('hex'), ttlMsFor: () => 60_000 };
      const store = fresh(undefined, tombstones);
      const mine = customerOrderingKey('chatapp', 'c1');
      const theirs = customerOrderingKey('chatapp', 'c2');
      const first = await store.enqueueAndClaim(entry(theirs, 1), ['inbound:chatapp:m1'], clock, 1000);
      await store.complete(first.claimed!.id);
      assert.deepEqual(await store.enqueueAndClaim(entry(theirs, 1), ['inbound:chatapp:m1'], clock, 1000), { queued: false }, 'a duplicate');

      await store.insertSession(session('s1'));
      await store.enqueue(entry(mine, 2), ['inbound:chatapp:m2']);
      await store.eraseCustomer('chatapp', 'c1');
      assert.deepEqual(await store.enqueueAndClaim(entry(mine, 2), ['inbound:chatapp:m2'], clock, 1000), { queued: false }, 'a replay after the erasure');
      assert.deepEqual(await store.claimDue('to-flex', clock + 1000, 10, 1000), [], 'nothing was queued');
      assert.deepEqual(await store.countOutbox(), []);
    });

    test('whileSessionStored: a delivery is queued only while the session its key names is stored; a refusal writes nothing', async () => {
      const store = fresh();
      const delivery = (n: number): OutboxEntry => ({ queue: 'to-channel', orderingKey: 's1', payload: { n } });
      const stored = { whileSessionStored: true };
      assert.equal(await store.enqueue(delivery(1), ['twilio-message:IM1'], stored), false, 'no such session yet');
      assert.deepEqual(await store.enqueueAndClaim(delivery(2), ['twilio-message:IM2'], clock, 1000, stored), { queued: false });
      assert.deepEqual(await store.countOutbox(), [], 'nothing queued');

      await store.insertSession(session('s1'));
      assert.equal(await store.enqueue(delivery(1), ['twilio-message:IM1'], stored), true, 'the refusal remembered no dedupe key');
      assert.deepEqual(await store.enqueueAndClaim(delivery(2), ['twilio-message:IM2'], clock, 1000, stored), { queued: true }, 'behind the first');
      await store.markSessionOpen('s1');
      assert.equal(await store.closeSession('s1', clock), true);
      assert.equal(await store.enqueue(delivery(3), [], stored), true, 'closed but still stored');
      assert.deepEqual(await store.countOutbox(), [{ queue: 'to-channel', pending: 3, failed: 0 }]);

      await store.eraseCustomer('chatapp', 'c1');
      assert.equal(await store.enqueue(delivery(4), [], stored), false, 'erased since');
      assert.deepEqual(await store.enqueueAndClaim(delivery(5), [], clock, 1000, stored), { queued: false });
      assert.deepEqual(await store.countOutbox(), []);
    });

    test('one entry per ordering key at a time, oldest first, leased against other workers', async () => {
      const store = fresh();
      for (let n = 1; n <= 3; n += 1) await store.enqueue(entry('a', n));
      await store.enqueue(entry('b', 1));
      const first = await store.claimDue('to-flex', clock, 10, 1000);
      assert.deepEqual(
        first.map((item) => [item.orderingKey, item.payload, item.attempts]),
        [
          ['a', { n: 1 }, 1],
          ['b', { n: 1 }, 1],
        ],
      );
      assert.deepEqual(await store.claimDue('to-flex', clock, 10, 1000), [], 'leased heads block their keys');
      await store.complete(first[0]!.id);
      assert.deepEqual(
        (await store.claimDue('to-flex', clock, 10, 1000)).map((item) => item.payload),
        [{ n: 2 }],
      );
      clock += 1001;
      const afterLease = await store.claimDue('to-flex', clock, 10, 1000);
      assert.deepEqual(
        afterLease.map((item) => [item.orderingKey, item.payload, item.attempts]),
        [
          ['a', { n: 2 }, 2],
          ['b', { n: 1 }, 2],
        ],
        'an expired lease (a crashed worker) hands the entry out again',
      );
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

    test('oldestOutboxDue tells when the longest-waiting head fell due: its due time or the end of its lease, heads only', async () => {
      const store = fresh();
      assert.deepEqual(await store.oldestOutboxDue(), {}, 'nothing pending');
      const start = clock;
      await store.enqueue(entry('a', 1));
      clock += 100;
      await store.enqueue(entry('a', 2));
      await store.enqueue(entry('b', 1));
      const oldestDue = async () => (await store.oldestOutboxDue())['to-flex'];
      assert.equal(await oldestDue(), start, "a's head");
      const claimed = await store.claimDue('to-flex', clock, 1, 1000);
      assert.deepEqual(
        claimed.map((item) => item.payload),
        [{ n: 1 }],
      );
      assert.equal(await oldestDue(), clock, "b's head; a's is leased until later, the entry behind it is no head");
      await store.retryLater(claimed[0]!.id, clock + 5000, '503 from Twilio');
      const [b1] = await store.claimDue('to-flex', clock, 10, 1000);
      await store.complete(b1!.id);
      assert.equal(await oldestDue(), clock + 5000, "a's head again, due when its retry is");
      clock += 5000;
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

    test("dead letters of one ordering key: only that key's, oldest first, in pages, from either queue", async () => {
      const store = fresh();
      for (const [key, n] of [
        ['a', 1],
        ['b', 2],
        ['a', 3],
        ['a', 4],
      ] as const)
        await store.enqueue(entry(key, n));
      await store.enqueue({ queue: 'to-channel', orderingKey: 'a', payload: { n: 5 } });
      for (const queue of ['to-flex', 'to-channel'] as const) {
        for (let claimed = await store.claimDue(queue, clock, 10, 1000); claimed.length > 0; claimed = await store.claimDue(queue, clock, 10, 1000)) {
          for (const item of claimed) await store.markFailed(item.id, 'failed for good');
        }
      }
      const numbers = (letters: DeadLetter[]) => letters.map((letter) => (letter.payload as { n: number }).n);
      assert.deepEqual(numbers(await store.listDeadLetters({ queue: 'to-flex', orderingKey: 'a' })), [1, 3, 4]);
      assert.deepEqual(numbers(await store.listDeadLetters({ queue: 'to-flex', orderingKey: 'b' })), [2]);
      assert.deepEqual(numbers(await store.listDeadLetters({ queue: 'to-channel', orderingKey: 'a' })), [5]);
      assert.deepEqual(numbers(await store.listDeadLetters({ orderingKey: 'a' })), [1, 3, 4, 5], 'both queues, by id');
      assert.deepEqual(await store.listDeadLetters({ queue: 'to-flex', orderingKey: 'c' }), []);
      const firstPage = await store.listDeadLetters({ queue: 'to-flex', orderingKey: 'a', limit: 2 });
      assert.deepEqual(numbers(firstPage), [1, 3]);
      assert.deepEqual(numbers(await store.listDeadLetters({ queue: 'to-flex', orderingKey: 'a', afterId: firstPage.at(-1)!.id, limit: 2 })), [4]);
    });

    test("dead letters of one ordering key: those retried, pruned or erased no longer take a place in the key's pages", async () => {
      const store = fresh({ ...DEFAULT_RETENTION, deadLetterMs: 10_000 });
      const customerKey = customerOrderingKey('chatapp', 'c1');
      const park = async (orderingKey: string, n: number) => {
        await store.enqueue(entry(orderingKey, n));
        const [claimed] = await store.claimDue('to-flex', clock, 1, 1000);
        await store.markFailed(claimed!.id, 'failed for good');
        return claimed!.id;
      };
      const numbers = (letters: DeadLetter[]) => letters.map((letter) => (letter.payload as { n: number }).n);
      const retried = await park('a', 1);
      const pruned = await park('a', 2);
      await park(customerKey, 3);
      clock += 5_000;
      await park('a', 4);
      await park('a', 5);
      await park(customerKey, 6);
      await park(customerKey, 7);

      assert.ok((await store.retryDeadLetter(retried)) !== undefined);
      await store.complete((await store.claimDue('to-flex', clock, 1, 1000))[0]!.id);
      clock += 5_001;
      assert.equal((await store.prune()).deadLetters, 2, `letter ${pruned} and the customer's first are past their retention`);
      assert.deepEqual(numbers(await store.listDeadLetters({ queue: 'to-flex', orderingKey: 'a', limit: 2 })), [4, 5]);
      assert.deepEqual(numbers(await store.listDeadLetters({ queue: 'to-flex', orderingKey: customerKey, limit: 2 })), [6, 7]);
      await store.eraseCustomer('chatapp', 'c1');
      assert.deepEqual(await store.listDeadLetters({ queue: 'to-flex', orderingKey: customerKey }), []);
      await park(customerKey, 8);
      assert.deepEqual(numbers(await store.listDeadLetters({ queue: 'to-flex', orderingKey: customerKey, limit: 1 })), [8]);
      assert.deepEqual(numbers(await store.listDeadLetters({ queue: 'to-flex', orderingKey: 'a', limit: 2 })), [4, 5]);
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
      assert.deepEqual(
        (await store.listDeadLetters({ queue: 'to-channel' })).map((letter) => letter.id),
        [b1!.id],
      );
      assert.deepEqual(
        (await store.listDeadLetters({ afterId: a1!.id })).map((letter) => letter.id),
        [b1!.id],
      );
      assert.deepEqual(
        (await store.listDeadLetters({ limit: 1 })).map((letter) => letter.id),
        [a1!.id],
      );

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
      assert.deepEqual(
        (await store.listDeadLetters()).map((letter) => letter.id),
        [b1!.id],
      );
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
      assert.deepEqual(
        (await store.claimDue('to-channel', clock, 3, 1000)).map((item) => item.payload),
        [{ n: 'x' }],
      );
    });

    test('retention: closed sessions and dedupe keys go after theirs, dead letters after theirs, open sessions stay', async () => {
      const store = fresh({ ...DEFAULT_RETENTION, closedSessionMs: 1500, dedupeMs: 1500, deadLetterMs: 10_000 });
      await store.insertSession(session('s1'));
      await store.recordSessionResources('s1', { conversationSid: 'CH1' });
      await store.markSessionOpen('s1');
      await store.closeSession('s1', clock);
      await store.insertSession(session('s2', 'c2'));
      await store.markSessionOpen('s2');
      assert.equal(await store.enqueue(entry('a', 1), ['seen']), true);
      const [parked] = await store.claimDue('to-flex', clock, 10, 1000);
      await store.markFailed(parked!.id, 'refused');

      assert.deepEqual((await store.prune()).deadLetters, 0);
      assert.equal((await store.findSessionByConversationSid('CH1'))?.state, 'closed', 'kept for the retention');
      assert.equal(await store.enqueue(entry('a', 2), ['seen']), false);

      await letPass(engine, 1501);
      assert.equal((await store.prune()).deadLetters, 0);
      assert.equal(await store.findSessionByConversationSid('CH1'), undefined, 'the closed session is gone');
      assert.deepEqual(await store.listCustomerSessions('chatapp', 'c1'), []);
      assert.equal((await store.findActiveSession('chatapp', 'c2'))?.id, 's2', 'an open session is not subject to retention');
      assert.equal(await store.enqueue(entry('a', 3), ['seen']), true, 'the dedupe key was forgotten');
      assert.equal((await store.listDeadLetters()).length, 1, 'dead letters have their own, longer retention');

      clock += 10_000;
      assert.equal((await store.prune()).deadLetters, 1);
      assert.deepEqual(await store.listDeadLetters(), []);
      assert.deepEqual(await store.countOutbox(), [{ queue: 'to-flex', pending: 1, failed: 0 }], 'pending entries are never pruned');
    });

    test('customer search: by id or name in any case, one row per customer, most recently seen first, within the limit', async () => {
      const store = fresh();
      const person = (id: string, customerId: string, customerName: string, createdAt: number, channelType = 'chatapp'): Session => ({
        ...session(id, customerId),
        channelType,
        customerName,
        createdAt,
      });
      await store.insertSession(person('q1', 'c-ann', 'Ann Lee', 10));
      await store.markSessionOpen('q1');
      await store.closeSession('q1', 20);
      await store.insertSession(person('q2', 'c-bob', 'Bob Annan', 30));
      await store.insertSession(person('q3', 'c-ann', 'Ann Lee-Smith', 40));
      await store.insertSession(person('q4', 'c-cy', 'Cy', 50));
      await store.insertSession(person('q5', 'c-ann', 'Ann on the web', 60, 'webchat'));
      const search = (text: string, limit = 10) => store.searchCustomers({ channelType: 'chatapp', text, limit });

      assert.deepEqual(await search('ANN'), [
        { customerId: 'c-ann', customerName: 'Ann Lee-Smith', lastInboundAt: 40, lastSeenAt: 40, hasOpenConversation: true },
        { customerId: 'c-bob', customerName: 'Bob Annan', lastInboundAt: 30, lastSeenAt: 30, hasOpenConversation: true },
      ]);
      assert.deepEqual(
        (await search('')).map((match) => match.customerId),
        ['c-cy', 'c-ann', 'c-bob'],
      );
      assert.deepEqual(
        (await search('c-', 2)).map((match) => match.customerId),
        ['c-cy', 'c-ann'],
      );
      assert.deepEqual(await search('nobody'), []);
      assert.deepEqual(await search('%'), [], 'the text is matched as text, not as a pattern');
      await store.eraseCustomer('chatapp', 'c-ann');
      assert.deepEqual(
        (await search('ann')).map((match) => match.customerId),
        ['c-bob'],
        'an erased customer is not found',
      );
    });

    test('customer search over more customers than one batch of the walk: the most recent, ties by id, within the limit', async () => {
      const store = fresh();
      const count = 1200;
      // Distinct times in a scrambled order; the two latest share one, so the tie decides.
      const seenAt = (n: number) => (n === 7 ? 5000 + count - 1 : 5000 + ((n * 7919) % count));
      for (let n = 0; n < count; n += 100) {
        await Promise.all(
          Array.from({ length: 100 }, (_unused, offset) => {
            const id = n + offset;
            return store.insertSession({ ...session(`many-${id}`, `m-${String(id).padStart(4, '0')}`), customerName: `Many ${id}`, createdAt: seenAt(id) });
          }),
        );
      }
      const expected = Array.from({ length: count }, (_unused, n) => n)
        .sort((a, b) => seenAt(b) - seenAt(a) || a - b)
        .slice(0, 5)
        .map((n) => `m-${String(n).padStart(4, '0')}`);
      assert.equal(seenAt(7), seenAt(Number(expected[1]!.slice(2))), 'the test has its tie');
      assert.deepEqual(
        (await store.searchCustomers({ channelType: 'chatapp', text: 'm-', limit: 5 })).map((match) => match.customerId),
        expected,
      );
    });

    test('what the platform told of a customer is kept with their sessions: the time of their last message, their subscription', async () => {
      const store = fresh();
      await store.insertSession({ ...session('p1', 'c-sub'), createdAt: 100 });
      await store.markSessionOpen('p1');
      await store.recordSessionResources('p1', { conversationSid: 'CH1', lastInboundAt: 1_733_400_123_456 });
      await store.recordSessionResources('p1', { subscription: { subscribed: false, at: 1_733_400_200_000 } });
      await store.closeSession('p1', 200);
      await store.insertSession({ ...session('p2', 'c-sub'), createdAt: 300, resources: { agentStartId: 'req-1' } });
      assert.deepEqual((await store.listCustomerSessions('chatapp', 'c-sub'))[0]!.resources, {
        conversationSid: 'CH1',
        lastInboundAt: 1_733_400_123_456,
        subscription: { subscribed: false, at: 1_733_400_200_000 },
      });
      const [match] = await store.searchCustomers({ channelType: 'chatapp', text: 'c-sub', limit: 5 });
      assert.deepEqual(match, {
        customerId: 'c-sub',
        customerName: 'Ann',
        lastInboundAt: 1_733_400_123_456,
        subscription: { subscribed: false, at: 1_733_400_200_000 },
        lastSeenAt: 300,
        hasOpenConversation: true,
      });
    });

    test('erasure: everything about one customer of one channel, nothing about anyone else', async () => {
      const store = fresh();
      const mine = customerOrderingKey('chatapp', 'c1');
      const park = async (queue: OutboxEntry['queue'], orderingKey: string, key: string) => {
        await store.enqueue({ queue, orderingKey, payload: { key } }, [key]);
        const [claimed] = await store.claimDue(queue, clock, 10, 1000);
        await store.markFailed(claimed!.id, 'refused');
      };
      await store.insertSession(session('s1'));
      await store.recordSessionResources('s1', { conversationSid: 'CH1' });
      await store.markSessionOpen('s1');
      await store.closeSession('s1', clock);
      await store.insertSession(session('s2'));
      await store.recordSessionResources('s2', { conversationSid: 'CH2' });
      await park('to-flex', mine, 'inbound:chatapp:m0');
      await park('to-channel', 's1', 'twilio-message:IM0');
      // Dead letters whose sessions were pruned long ago: found by their recipient.
      for (const [channelType, id] of [
        ['chatapp', 'c1'],
        ['chatapp', 'c2'],
        ['webchat', 'c1'],
      ]) {
        const orphan = { channelType, event: { type: 'ended', id: 'CH0:ended', conversationSid: 'CH0', to: { id } } };
        await store.enqueue({ queue: 'to-channel', orderingKey: `s-pruned-${channelType}-${id}`, payload: orphan });
        const [parkedOrphan] = await store.claimDue('to-channel', clock, 10, 1000);
        await store.markFailed(parkedOrphan!.id, 'refused');
      }
      await store.insertSession({ ...session('s4'), channelType: 'webchat' });
      await park('to-flex', customerOrderingKey('webchat', 'c1'), 'inbound:webchat:m0');
      await store.enqueue({ queue: 'to-flex', orderingKey: mine, payload: {} }, ['inbound:chatapp:m1']);
      await store.enqueue({ queue: 'to-channel', orderingKey: 's2', payload: {} }, ['twilio-message:IM1', 'twilio-token:t1']);
      await store.insertSession(session('s3', 'c2'));
      await store.enqueue({ queue: 'to-flex', orderingKey: customerOrderingKey('chatapp', 'c2'), payload: { who: 'c2' } }, ['inbound:chatapp:m2']);

      assert.deepEqual(
        (await store.listCustomerSessions('chatapp', 'c1')).map((one) => [one.id, one.state, one.resources.conversationSid]),
        [
          ['s1', 'closed', 'CH1'],
          ['s2', 'creating', 'CH2'],
        ],
      );
      assert.deepEqual(await store.eraseCustomer('chatapp', 'c1'), {
        sessions: 2,
        pendingEntries: 2,
        deadLetters: 3,
        dedupeKeys: 5,
      });

      assert.deepEqual(await store.listCustomerSessions('chatapp', 'c1'), []);
      assert.equal(await store.findActiveSession('chatapp', 'c1'), undefined);
      assert.equal(await store.findSessionByConversationSid('CH1'), undefined);
      assert.equal(await store.findSessionByConversationSid('CH2'), undefined);
      assert.equal((await store.findActiveSession('chatapp', 'c2'))?.id, 's3');
      assert.equal((await store.findActiveSession('webchat', 'c1'))?.id, 's4', 'the same id on another channel is another customer');
      assert.deepEqual(
        (await store.listDeadLetters()).map((letter) => letter.orderingKey),
        ['s-pruned-chatapp-c2', 's-pruned-webchat-c1', customerOrderingKey('webchat', 'c1')],
      );
      assert.deepEqual(
        (await store.claimDue('to-flex', clock, 10, 1000)).map((item) => item.payload),
        [{ who: 'c2' }],
      );
      assert.deepEqual(await store.claimDue('to-channel', clock, 10, 1000), []);
      for (const key of ['inbound:chatapp:m0', 'inbound:chatapp:m1']) {
        assert.equal(await store.enqueue(entry(mine, 0), [key]), true, `${key} was forgotten`);
      }
      for (const [key, sessionId] of [
        ['twilio-message:IM0', 's1'],
        ['twilio-token:t1', 's2'],
      ]) {
        assert.equal(await store.enqueue({ queue: 'to-channel', orderingKey: sessionId!, payload: {} }, [key!]), true, `${key} was forgotten`);
      }
      assert.equal(await store.enqueue(entry(customerOrderingKey('chatapp', 'c2'), 0), ['inbound:chatapp:m2']), false, "another customer's key stays");
      assert.equal(await store.insertSession(session('s5')), true, 'the customer can start over');
      assert.deepEqual(await store.eraseCustomer('webchat', 'nobody'), {
        sessions: 0,
        pendingEntries: 0,
        deadLetters: 0,
        dedupeKeys: 0,
      });
    });

    test('uploads: quotas per visitor and for everyone, used and unused files, release to the cleanup', async () => {
      const store = fresh();
      const quota = { visitorUploads: 2, visitorBytes: 300, windowMs: 1000, pendingUploads: 3, pendingBytes: 500 };
      const upload = (id: string, customerId: string, size = 100) => store.admitUpload({ id, channelType: 'webchat', customerId, size }, quota);
      const start = clock;
      assert.deepEqual(await upload('u1', 'v1'), { admitted: true });
      await store.recordUploadMedia('u1', 'IS1', 'ME1');
      clock += 100;
      assert.deepEqual(await upload('u2', 'v1', 150), { admitted: true });
      assert.deepEqual(await upload('u3', 'v1'), { admitted: false, limit: 'visitor-uploads', retryAfterMs: 900 });
      assert.deepEqual(await upload('u3', 'v2', 300), { admitted: false, limit: 'pending-bytes' });
      assert.deepEqual(await upload('u3', 'v2'), { admitted: true });
      assert.deepEqual(await upload('u4', 'v3'), { admitted: false, limit: 'pending-uploads' }, 'three are pending');

      assert.equal(await store.markUploadsUsed('webchat', 'v2', ['ME1']), 0);
      assert.deepEqual(await upload('u4', 'v3'), { admitted: false, limit: 'pending-uploads' }, "another visitor's message cannot claim a file");
      assert.equal(await store.markUploadsUsed('webchat', 'v1', ['ME1', 'ME-unknown']), 1);
      assert.deepEqual(await upload('u4', 'v3'), { admitted: true }, 'a used file is no longer pending');
      assert.equal(await store.markUploadsUsed('webchat', 'v1', ['ME1']), 1, 'a message sent again names a known file');
      clock = start + 1000;
      assert.deepEqual(await upload('u5', 'v1', 200), { admitted: false, limit: 'visitor-bytes', retryAfterMs: 100 }, 'u2 is still in the window');
      clock = start + 1100;
      assert.deepEqual(await store.listUnusedUploads(start + 100, 10), []);
      assert.deepEqual(
        (await store.listUnusedUploads(clock, 10)).map((one) => one.id),
        ['u2', 'u3', 'u4'],
      );
      assert.deepEqual(await store.listCustomerUploads('webchat', 'v1'), [
        { id: 'u1', channelType: 'webchat', customerId: 'v1', size: 100, uploadedAt: start, serviceSid: 'IS1', mediaSid: 'ME1', usedAt: start + 100 },
        { id: 'u2', channelType: 'webchat', customerId: 'v1', size: 150, uploadedAt: start + 100 },
      ]);

      assert.equal(await store.releaseCustomerUploads('webchat', 'v1'), 2);
      assert.deepEqual(await store.listCustomerUploads('webchat', 'v1'), []);
      const due = await store.listUnusedUploads(1, 10);
      assert.deepEqual(
        due.map((one) => [one.id, one.customerId, one.uploadedAt, one.mediaSid]),
        [
          ['u1', '', 0, 'ME1'],
          ['u2', '', 0, undefined],
        ],
        'released uploads are due for deletion at once, used or not, and no longer name the visitor',
      );
      await store.deleteUploads(['u1', 'u2', 'u3']);
      await store.recordUploadMedia('u1', 'IS1', 'ME1');
      assert.deepEqual(
        (await store.listUnusedUploads(clock, 10)).map((one) => one.id),
        ['u4'],
        'a forgotten upload stays forgotten',
      );
      assert.deepEqual(await upload('u6', 'v2', 300), { admitted: true }, 'deleted uploads free the pending bytes');

      await store.recordUploadMedia('u4', 'IS1', 'ME4');
      await store.markUploadsUsed('webchat', 'v3', ['ME4']);
      assert.equal(await store.pruneUsedUploads(clock), 0);
      assert.equal(await store.pruneUsedUploads(clock + 1), 1);
      assert.deepEqual(await store.listCustomerUploads('webchat', 'v3'), []);
    });

    test('an erasure tombstones the dedupe keys it deletes: they count as seen, store nothing, and expire', async () => {
      const hashed: string[] = [];
      const tombstones: TombstonePolicy = {
        hash: (key) => {
          hashed.push(key);
          return createHmac('sha256', 'tombstone-key').update(key).digest('hex');
        },
        ttlMsFor: () => 300,
      };
      const store = fresh(undefined, tombstones);
      const mine = customerOrderingKey('chatapp', 'c1');
      const theirs = customerOrderingKey('chatapp', 'c2');
      await store.insertSession(session('s1'));
      await store.enqueue(entry(mine, 1), ['inbound:chatapp:m1']);
      await store.enqueue({ queue: 'to-channel', orderingKey: 's1', payload: {} }, ['twilio-message:IM1']);
      await store.enqueue(entry(theirs, 2), ['inbound:chatapp:m2']);
      hashed.length = 0;
      assert.equal((await store.eraseCustomer('chatapp', 'c1')).dedupeKeys, 2);
      assert.deepEqual([...new Set(hashed)].sort(), ['inbound:chatapp:m1', 'twilio-message:IM1'], 'only the erased keys are tombstoned');

      assert.equal(await store.enqueue(entry(mine, 1), ['inbound:chatapp:m1']), false, 'a replay after the erasure');
      assert.equal(await store.enqueue({ queue: 'to-channel', orderingKey: 's1', payload: {} }, ['twilio-message:IM1']), false);
      assert.equal(await store.enqueue(entry(theirs, 2), ['inbound:chatapp:m2']), false, "another customer's key is still a duplicate");
      assert.deepEqual(
        (await store.claimDue('to-flex', clock, 10, 1000)).map((item) => item.payload),
        [{ n: 2 }],
        'the replay stored nothing',
      );
      assert.deepEqual(await store.claimDue('to-channel', clock, 10, 1000), []);
      assert.equal((await store.eraseCustomer('chatapp', 'c1')).dedupeKeys, 0, 'the refused replay wrote no dedupe key');
      assert.equal(await store.enqueue(entry(mine, 3), ['inbound:chatapp:m3']), true, 'the customer can come back with new messages');

      await letPass(engine, 400);
      if (engine === 'sqlite') assert.equal((await store.prune()).erasureTombstones, 2, 'the retention job removes expired tombstones');
      assert.equal(await store.enqueue(entry(mine, 1), ['inbound:chatapp:m1']), true, 'after the replay window the key is forgotten');
    });

    test('without a tombstone policy an erasure keeps no tombstones', async () => {
      const store = fresh();
      const mine = customerOrderingKey('chatapp', 'c1');
      await store.enqueue(entry(mine, 1), ['inbound:chatapp:m1']);
      await store.eraseCustomer('chatapp', 'c1');
      assert.equal(await store.enqueue(entry(mine, 1), ['inbound:chatapp:m1']), true);
    });

    test('transcripts: numbers each visitor 1, 2, 3, keeps an event once per key; pruning drops old content, not the numbering', async () => {
      const { transcripts } = fresh();
      const start = clock;
      const message = (id: string) => ({ kind: 'agent-message' as const, id, text: `text/${id} "quoted"`, at: clock });
      assert.equal((await transcripts.append('webchat', 'v_a', 'agent:1', message('1'))).seq, 1);
      assert.equal((await transcripts.append('webchat', 'v_b', 'agent:x', message('x'))).seq, 1);
      assert.equal((await transcripts.append('webchat', 'v_a', 'agent:2', message('2'))).seq, 2);
      const again = await transcripts.append('webchat', 'v_a', 'agent:1', message('1'));
      assert.deepEqual([again.seq, again.created, again.event], [1, false, message('1')]);
      assert.deepEqual(await transcripts.read('webchat', 'v_a', 0, 1), [{ seq: 2, event: message('2') }], 'the latest when limited');
      clock += 4000;
      assert.equal((await transcripts.append('webchat', 'v_b', 'agent:y', message('y'))).seq, 2);
      assert.equal(await transcripts.prune(start + 3000), 3, 'every event logged before, the latest ones included');
      assert.deepEqual(await transcripts.read('webchat', 'v_a', 0, 10), []);
      assert.deepEqual(
        (await transcripts.read('webchat', 'v_b', 0, 10)).map((one) => one.seq),
        [2],
      );
      assert.equal((await transcripts.append('webchat', 'v_a', 'agent:3', message('3'))).seq, 3, 'numbering carries on');
      assert.deepEqual(
        (await transcripts.read('webchat', 'v_a', 2, 10)).map((one) => one.seq),
        [3],
      );
      assert.equal(typeof (await transcripts.epoch()), 'string');
      assert.equal(await transcripts.epoch(), await transcripts.epoch(), 'one epoch per store');
    });

    test('transcripts: a page at a time, oldest first, within a count and a byte budget; the last number and the keys', async () => {
      const { transcripts } = fresh();
      const message = (id: string, size: number) => ({ kind: 'agent-message' as const, id, text: 'z'.repeat(size), at: 1000 });
      assert.equal(await transcripts.lastSeq('webchat', 'v_p'), 0);
      for (let index = 1; index <= 30; index += 1) await transcripts.append('webchat', 'v_p', `agent:${index}`, message(String(index), 100));
      const seqs = (entries: TranscriptEntry[]) => entries.map((one) => one.seq);
      assert.deepEqual(seqs(await transcripts.readPage('webchat', 'v_p', 0, { limit: 3, maxBytes: 1_000_000 })), [1, 2, 3]);
      assert.deepEqual(
        seqs(await transcripts.readPage('webchat', 'v_p', 10, { limit: 50, maxBytes: 250 })),
        [11, 12],
        'stops once the events read reach 250 bytes',
      );
      assert.deepEqual(seqs(await transcripts.readPage('webchat', 'v_p', 10, { limit: 50, maxBytes: 1 })), [11], 'at least one');
      assert.deepEqual(seqs(await transcripts.readPage('webchat', 'v_p', 25, { limit: 50, maxBytes: 1_000_000 })), [26, 27, 28, 29, 30]);
      assert.deepEqual(await transcripts.readPage('webchat', 'v_p', 30, { limit: 50, maxBytes: 1_000_000 }), []);
      assert.deepEqual(await transcripts.readPage('webchat', 'v_other', 0, { limit: 50, maxBytes: 1_000_000 }), []);
      assert.equal(await transcripts.lastSeq('webchat', 'v_p'), 30);
      assert.equal(await transcripts.has('webchat', 'v_p', 'agent:7'), true);
      assert.equal(await transcripts.has('webchat', 'v_p', 'agent:31'), false);
      await transcripts.forget('webchat', 'v_p');
      assert.equal(await transcripts.lastSeq('webchat', 'v_p'), 30, 'the number outlives the content');
      assert.equal(await transcripts.has('webchat', 'v_p', 'agent:7'), false);
    });

    test("transcripts: forgetting a visitor removes their transcript, nobody else's; their numbering carries on", async () => {
      const { transcripts } = fresh();
      const message = (id: string) => ({ kind: 'agent-message' as const, id, text: 'personal', at: 1000 });
      await transcripts.append('webchat', 'v_a', 'agent:1', message('1'));
      await transcripts.append('webchat', 'v_a', 'agent:2', message('2'));
      await transcripts.append('webchat', 'v_b', 'agent:1', message('1'));
      await transcripts.append('other', 'v_a', 'agent:1', message('1'));
      assert.equal(await transcripts.forget('webchat', 'v_a'), 2);
      assert.deepEqual(await transcripts.read('webchat', 'v_a', 0, 10), []);
      assert.equal((await transcripts.read('webchat', 'v_b', 0, 10)).length, 1);
      assert.equal((await transcripts.read('other', 'v_a', 0, 10)).length, 1);
      const next = await transcripts.append('webchat', 'v_a', 'agent:1', message('1'));
      assert.deepEqual([next.seq, next.created], [3, true], 'a browser still holding the token misses nothing');
      assert.equal(await transcripts.forget('webchat', 'v_a'), 1);
    });

    test('surveys: one per session, compare-and-set by revision, due when asking past the deadline or writing, forgotten and pruned', async () => {
      const { surveys } = fresh();
      const survey = (sessionId: string, customerId = 'c1'): StoredSurvey => ({
        sessionId,
        channelType: 'chatapp',
        customerId,
        conversationSid: `CH${sessionId}`,
        startedAt: sessionId === 's0' ? 1 : 2,
        state: 'asking',
        next: 0,
        answers: [],
        completed: false,
        deadline: 5_000,
        revision: 0,
      });
      assert.equal(await surveys.createSurvey({ ...survey('s0'), state: 'closed' }), true);
      assert.equal(await surveys.createSurvey(survey('s1')), true);
      assert.equal(await surveys.createSurvey({ ...survey('s1'), deadline: 9 }), false, 'a session has one survey');
      assert.equal(await surveys.createSurvey(survey('s2', 'c2')), true);
      assert.equal((await surveys.findLatestSurvey('chatapp', 'c1'))?.sessionId, 's1', 'the one started last');
      assert.equal(await surveys.findLatestSurvey('other', 'c1'), undefined);

      const answered = { ...survey('s1'), next: 1, answers: [{ question: 0, value: 4 }], lastMessageId: 'm1', deadline: 6_000 };
      assert.equal(await surveys.updateSurvey(answered, 0), true);
      assert.equal(await surveys.updateSurvey({ ...answered, next: 2 }, 0), false, 'a stale revision changes nothing');
      assert.deepEqual(await surveys.getSurvey('s1'), { ...answered, revision: 1 });

      assert.deepEqual(
        (await surveys.listDueSurveys(5_500, 10)).map((s) => s.sessionId),
        ['s2'],
      );
      assert.equal(await surveys.updateSurvey({ ...answered, state: 'writing' }, 1), true);
      assert.deepEqual(
        (await surveys.listDueSurveys(1_000, 10)).map((s) => s.sessionId),
        ['s1'],
        'writing is due at once',
      );
      assert.equal(await surveys.updateSurvey({ ...answered, state: 'closed', deadline: 7_000 }, 2), true);
      assert.equal((await surveys.findLatestSurvey('chatapp', 'c1'))?.state, 'closed');
      assert.deepEqual(await surveys.listDueSurveys(10_000, 10).then((due) => due.map((s) => s.sessionId)), ['s2']);

      assert.equal(await surveys.pruneClosedSurveys(5_001), 1, 's0 closed at 5 000');
      assert.equal(await surveys.pruneClosedSurveys(7_000), 0);
      assert.equal(await surveys.pruneClosedSurveys(7_001), 1);
      assert.equal(await surveys.getSurvey('s1'), undefined);
      assert.equal(await surveys.forgetCustomerSurveys('chatapp', 'c1'), 0);
      assert.equal(await surveys.forgetCustomerSurveys('chatapp', 'c2'), 1);
      assert.equal(await surveys.getSurvey('s2'), undefined);
      assert.deepEqual(await surveys.listDueSurveys(10_000, 10), []);
    });
  });
}

test('sqlite: transcripts have no subscription (the instance pushes its own appends)', () => {
  assert.equal(engines.sqlite!().transcripts.subscribe, undefined);
});

for (const engine of ['redis', 'redis cluster']) {
  test(`${engine}: every instance hears every transcript append, in seq order, and shares the epoch`, async () => {
    const keyPrefix = `test-${randomUUID()}`;
    const [a, b] = [0, 1].map(() => openRedisStore({ location: locations[engine]!, keyPrefix }));
    opened.push(a!, b!);
    const heard: Array<Array<[string, string, TranscriptEntry]>> = [[], []];
    for (const [index, store] of [a!, b!].entries()) {
      await store.transcripts.subscribe!({ onEvent: (c, v, e) => heard[index]!.push([c, v, e]), onResubscribed: () => undefined });
    }
    assert.equal(await a!.transcripts.epoch(), await b!.transcripts.epoch());
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? a! : b!).transcripts.append('webchat', 'v_x', `agent:${i}`, { kind: 'agent-message', id: `m${i}`, text: 't', at: 1 }),
      ),
    );
    for (const one of heard) {
      const seqs = await eventually(() => one.length === 40 && one.map(([, , e]) => e.seq), 'all 40 events heard');
      assert.deepEqual(
        seqs,
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
    }
  });
}

test('redis: sessions written before retention existed are indexed for erasure and given their TTL', async () => {
  const keyPrefix = `test-${randomUUID()}`;
  const store = openRedisStore({
    location: locations.redis!,
    keyPrefix,
    now,
    retention: { ...DEFAULT_RETENTION, closedSessionMs: 60_000 },
  });
  opened.push(store);
  const raw = new Redis(redis.url);
  const legacy = (id: string, closedAt: number) => raw.set(`${keyPrefix}:session:${id}`, JSON.stringify({ ...session(id), state: 'closed', closedAt }));
  await legacy('old', clock - 60_001);
  await legacy('recent', clock - 1000);
  assert.deepEqual(await store.listCustomerSessions('chatapp', 'c1'), [], 'not indexed yet');
  assert.equal((await store.prune()).closedSessions, 1);
  assert.deepEqual(
    (await store.listCustomerSessions('chatapp', 'c1')).map((one) => one.id),
    ['recent'],
  );
  const ttl = await raw.pttl(`${keyPrefix}:session:recent`);
  assert.ok(ttl > 0 && ttl <= 59_000, `expires when its retention ends (${ttl} ms left)`);
  await raw.quit();
});

test('redis: dead letters parked before they were indexed by ordering key are found by key once the retention job has run', async () => {
  const keyPrefix = `test-${randomUUID()}`;
  const store = openRedisStore({ location: locations.redis!, keyPrefix, now });
  opened.push(store);
  for (const n of [1, 2]) {
    await store.enqueue(entry('a', n));
    const [claimed] = await store.claimDue('to-flex', clock, 1, 1000);
    await store.markFailed(claimed!.id, 'failed for good');
  }
  const raw = new Redis(redis.url);
  const index = await raw.keys(`${keyPrefix}:*failed-of:a`);
  assert.equal(index.length, 1, 'one index for the key');
  await raw.del(index[0]!);
  assert.deepEqual(await store.listDeadLetters({ orderingKey: 'a' }), [], 'found through the index only');
  assert.equal((await store.prune()).deadLetters, 0);
  assert.deepEqual(
    (await store.listDeadLetters({ orderingKey: 'a' })).map((letter) => letter.payload),
    [{ n: 1 }, { n: 2 }],
  );
  await raw.quit();
});

test("redis cluster: erasing a customer drops their dead deliveries' index entries in every home", async () => {
  const keyPrefix = `test-${randomUUID()}`;
  const store = openRedisStore({ location: locations['redis cluster']!, keyPrefix, now });
  opened.push(store);
  // Deliveries whose sessions were pruned: each lands in the home of its own key, most of them
  // away from the customer's, where only the other homes' erasure finds them.
  const keys = Array.from({ length: 8 }, (_unused, n) => `s-pruned-${n}`);
  for (const orderingKey of keys) {
    const payload = { channelType: 'chatapp', event: { type: 'ended', id: `${orderingKey}:ended`, conversationSid: 'CH0', to: { id: 'c1' } } };
    await store.enqueue({ queue: 'to-channel', orderingKey, payload });
    const [parked] = await store.claimDue('to-channel', clock, 1, 1000);
    await store.markFailed(parked!.id, 'refused');
  }
  const indexes = async () => (await Promise.all(cluster.masters.map((node) => cluster.keysOn(node, `${keyPrefix}:*failed-of:*`)))).flat();
  assert.equal((await indexes()).length, keys.length, 'one index per key');
  assert.equal((await store.eraseCustomer('chatapp', 'c1')).deadLetters, keys.length);
  assert.deepEqual(await indexes(), []);
});

test('redis cluster: each script runs on one slot, and different customers land on different nodes', async () => {
  const keyPrefix = `test-${randomUUID()}`;
  const store = openRedisStore({ location: locations['redis cluster']!, keyPrefix, now });
  opened.push(store);
  const customers = Array.from({ length: 24 }, (_unused, n) => `spread-${n}`);
  for (const customerId of customers) {
    assert.equal(await store.insertSession(session(`s-${customerId}`, customerId)), true);
    assert.equal(await store.enqueue(entry(customerOrderingKey('chatapp', customerId), 1), [`d-${customerId}`]), true);
  }
  const perNode = await Promise.all(cluster.masters.map((node) => cluster.keysOn(node, `${keyPrefix}:*:session:*`)));
  assert.equal(perNode.flat().length, customers.length);
  assert.equal(perNode.filter((keys) => keys.length > 0).length, cluster.masters.length, `sessions per node: ${perNode.map((keys) => keys.length).join(', ')}`);
  const claimed = await store.claimDue('to-flex', clock, 100, 1000);
  assert.equal(claimed.length, customers.length, 'one claim gathers the due entries of every node');
  for (const item of claimed) await store.complete(item.id);
  assert.deepEqual(await store.countOutbox(), []);
});
