/**
 * What one outbox entry costs in Redis commands, counted by the servers (MONITOR): queued,
 * claimed by the worker its producer nudged (or in the same script, queued through the worker),
 * handled, completed. A claim after a nudge looks only in the homes this instance's writes made
 * something due in, so the cluster's sixteen homes are not searched twice per entry, and a
 * completion with nothing behind it claims nothing. Counts, not timings: the worker's poll
 * never fires here.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { openRedisStore } from '../../src/store/redis/redis-store.js';
import { parseDatabaseUrl, type RedisLocation } from '../../src/store/database-url.js';
import { customerOrderingKey, type Session, type Store } from '../../src/store/store.js';
import { OutboxWorker, type WorkerTimers } from '../../src/outbox/outbox-worker.js';
import type { PayloadReader } from '../../src/outbox/payload-reader.js';
import { startRedisServer } from '@custom-channels/test-kit/redis-server';
import { startRedisCluster } from '@custom-channels/test-kit/redis-cluster';
import { countRedisCommands, type CommandCount, type RedisNodeAddress } from '@custom-channels/test-kit/redis-monitor';
import { eventually } from '@custom-channels/test-kit/poll';

const [redis, cluster] = await Promise.all([startRedisServer(), startRedisCluster()]);
after(() => Promise.all([redis.stop(), cluster.stop()]));

const single = new URL(redis.url);
const engines: Record<string, { location: RedisLocation; nodes: RedisNodeAddress[] }> = {
  // One home: entries are numbered inside it.
  redis: { location: parseDatabaseUrl(redis.url, '.') as RedisLocation, nodes: [{ host: single.hostname, port: Number(single.port) }] },
  // Sixteen homes: entries take their numbers from the sequence they share, a block at a time
  // (the warm-up entries take the block the counted ones use).
  'redis cluster': { location: parseDatabaseUrl(cluster.url, '.') as RedisLocation, nodes: cluster.masters },
};

const readText: PayloadReader<string> = (stored) => (typeof stored === 'string' ? { ok: true, payload: stored } : { ok: false, problem: 'not a string' });
/** The poll never fires: every claim counted is one a nudge asked for. */
const handFired: WorkerTimers = { once: () => undefined, every: () => () => undefined };

/** The store, with a way to wait until every call made through it has answered. */
function settling(store: Store): { store: Store; settled: () => Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  const wrapped = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...args: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise) {
          pending.add(result);
          void result.finally(() => pending.delete(result)).catch(() => undefined);
        }
        return result;
      };
    },
  });
  const settled = async () => {
    // A completion nudges the worker on the next turn; its claim, if any, starts then.
    for (let turn = 0; turn < 3 || pending.size > 0; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.allSettled([...pending]);
    }
  };
  return { store: wrapped, settled };
}

const described = (count: CommandCount) => JSON.stringify(Object.fromEntries(count.byName));

for (const [engine, { location, nodes }] of Object.entries(engines)) {
  describe(`Redis commands per outbox entry on ${engine}`, () => {
    const open = () => openRedisStore({ location, keyPrefix: `count-${randomUUID()}` });

    /**
     * A started worker on its own store, its first claims made and the scripts loaded on the
     * nodes holding `keys` (an entry of each handled), so that only entries' work is counted.
     */
    const startWorker = async (store: Store, keys: string[]) => {
      const watched = settling(store);
      const handled: string[] = [];
      /** The id of the session each handled entry came with, read along with its claim. */
      const sessionsInHand: Array<string | null | undefined> = [];
      const worker = new OutboxWorker({
        store: watched.store,
        queue: 'to-flex',
        readPayload: readText,
        handle: async (item) => {
          handled.push(item.payload);
          sessionsInHand.push(item.activeSession === undefined ? undefined : (item.activeSession?.id ?? null));
          return { kind: 'done' };
        },
        retryPolicy: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
        logger: pino({ level: 'silent' }),
        timers: handFired,
      });
      worker.start();
      for (const key of keys) await watched.store.enqueue({ queue: 'to-flex', orderingKey: key, payload: 'warm-up' });
      worker.nudge();
      await eventually(() => handled.length === keys.length, 'the warm-up entries handled');
      await watched.settled();
      handled.length = 0;
      sessionsInHand.length = 0;
      return { worker, handled, sessionsInHand, ...watched };
    };

    /** The commands of `entries` queued by `queue` one at a time, each handled and settled before the next. */
    const countOneByOne = (entries: string[], handled: string[], settled: () => Promise<void>, queue: (name: string) => Promise<void>) =>
      countRedisCommands(nodes, async () => {
        for (const name of entries) {
          await queue(name);
          await eventually(() => handled.includes(name), `${name} handled`);
          await settled();
        }
      });

    test('an entry queued, nudged, handled and completed: one command each, none for its number', async () => {
      const store = open();
      const entries = ['one', 'two', 'three', 'four', 'five'];
      const {
        worker,
        handled,
        settled,
        store: watched,
      } = await startWorker(
        store,
        entries.map((name) => `key-${name}`),
      );
      const count = await countOneByOne(entries, handled, settled, async (name) => {
        await watched.enqueue({ queue: 'to-flex', orderingKey: `key-${name}`, payload: name });
        worker.nudge();
      });
      await worker.stop();
      await store.close();
      assert.deepEqual(handled, entries);
      // enqueue, claim, complete: no claim after a completion that leaves nothing behind, no search of every home.
      assert.equal(count.sent, entries.length * 3, `commands sent per entry: ${described(count)}`);
      assert.equal(count.byName.get('evalsha'), entries.length * 3, described(count));
    });

    test('an entry queued through its worker with a slot free: queued and claimed by one command, then completed (two instead of three)', async () => {
      const store = open();
      const entries = ['one', 'two', 'three', 'four', 'five'];
      const keys = entries.map((name) => `key-${name}`);
      const { worker, handled, settled } = await startWorker(store, keys);
      // The script that queues and claims loaded on the nodes, as the warm-up did for the others.
      for (const key of keys) await worker.queueEntry({ queue: 'to-flex', orderingKey: key, payload: 'warm-up' });
      await eventually(() => handled.length === keys.length, 'the second warm-up handled');
      await settled();
      handled.length = 0;
      const count = await countOneByOne(entries, handled, settled, async (name) => {
        assert.equal(await worker.queueEntry({ queue: 'to-flex', orderingKey: `key-${name}`, payload: name }), true);
      });
      await worker.stop();
      await store.close();
      assert.deepEqual(handled, entries);
      assert.equal(count.sent, entries.length * 2, `commands sent per entry: ${described(count)}`);
      assert.equal(count.byName.get('evalsha'), entries.length * 2, described(count));
    });

    test("a customer's message queued through its worker with their session read along: the handler has the session, and no command was added", async () => {
      const store = open();
      const customers = ['one', 'two', 'three'];
      const keys = customers.map((customer) => customerOrderingKey('chatapp', customer));
      const { worker, handled, sessionsInHand, settled } = await startWorker(store, keys);
      for (const key of keys) await worker.queueEntry({ queue: 'to-flex', orderingKey: key, payload: 'warm-up' });
      await eventually(() => handled.length === keys.length, 'the second warm-up handled');
      await settled();
      handled.length = 0;
      sessionsInHand.length = 0;
      const session = (customer: string): Session => ({
        id: `session-${customer}`,
        channelType: 'chatapp',
        customerId: customer,
        customerName: 'Customer',
        identity: `chatapp:${customer}`,
        state: 'open',
        resources: {},
        createdAt: 1,
      });
      for (const customer of customers.slice(1)) assert.equal(await store.insertSession(session(customer)), true);
      const count = await countOneByOne(customers, handled, settled, async (customer) => {
        const entry = { queue: 'to-flex' as const, orderingKey: customerOrderingKey('chatapp', customer), payload: customer };
        assert.equal(await worker.queueEntry(entry, [], { sessionOf: { channelType: 'chatapp', customerId: customer } }), true);
      });
      await worker.stop();
      await store.close();
      assert.deepEqual(sessionsInHand, [null, 'session-two', 'session-three'], 'none for the first customer, theirs for the others');
      assert.equal(count.sent, customers.length * 2, `commands sent per entry: ${described(count)}`);
    });

    test('two entries of one key queued at once: the completion of the first claims the second, in order, with no poll', async () => {
      const store = open();
      const { worker, handled, settled, store: watched } = await startWorker(store, ['one-key']);
      const count = await countRedisCommands(nodes, async () => {
        await watched.enqueue({ queue: 'to-flex', orderingKey: 'one-key', payload: 'first' });
        await watched.enqueue({ queue: 'to-flex', orderingKey: 'one-key', payload: 'second' });
        worker.nudge();
        await eventually(() => handled.length === 2, 'both handled');
        await settled();
      });
      await worker.stop();
      await store.close();
      assert.deepEqual(handled, ['first', 'second']);
      assert.equal(count.sent, 2 * 3, described(count));
    });

    test("a webhook's session, by its conversation: one command once this instance has written or read the conversation's pointer", async () => {
      const store = open();
      const session: Session = {
        id: `session-${randomUUID()}`,
        channelType: 'chatapp',
        customerId: 'webhook-customer',
        customerName: 'Webhook Customer',
        identity: 'chatapp:webhook-customer',
        state: 'open',
        resources: { conversationSid: `CH${randomUUID().replaceAll('-', '')}` },
        createdAt: 1,
      };
      assert.equal(await store.insertSession(session), true);
      let found: Session | undefined;
      const count = await countRedisCommands(nodes, async () => {
        found = await store.findSessionByConversationSid(session.resources.conversationSid!);
      });
      await store.close();
      assert.equal(found?.id, session.id);
      assert.equal(count.sent, 1, described(count));
    });

    test("another instance's entry: a nudged claim does not look for it (no command at all), a claim of the whole queue finds it", async () => {
      const keyPrefix = `count-${randomUUID()}`;
      const producer = openRedisStore({ location, keyPrefix });
      const other = openRedisStore({ location, keyPrefix });
      try {
        await producer.enqueue({ queue: 'to-flex', orderingKey: 'elsewhere', payload: 'queued by the producer' });
        // A first read waits in the client's queue until the connection is up, so none of the
        // connecting is counted below (a PING would be refused while it is still connecting).
        await other.findActiveSession('chatapp', 'nobody');
        let nudged: unknown[] = [];
        const count = await countRedisCommands(nodes, async () => {
          nudged = await other.claimDue('to-flex', Date.now(), 10, 10_000, 'touched');
        });
        assert.deepEqual(nudged, []);
        assert.equal(count.sent + count.inScripts, 0, described(count));
        const polled = await other.claimDue('to-flex', Date.now(), 10, 10_000, 'all');
        assert.deepEqual(
          polled.map((item) => item.payload),
          ['queued by the producer'],
        );
      } finally {
        await Promise.all([producer.close(), other.close()]);
      }
    });
  });
}
