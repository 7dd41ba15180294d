import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';
import type { Session } from '../src/store/store.js';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'cc-store-')), 'nested', 'store.sqlite');

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

test('creates its folder, runs migrations once, uses WAL', async () => {
  const path = tempDb();
  const store = openSqliteStore({ path });
  await store.close();
  const reopened = openSqliteStore({ path });
  await reopened.ping();
  await reopened.close();
  const db = new Database(path, { readonly: true });
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
});

test('refuses a database written by a newer version', async () => {
  const path = tempDb();
  await openSqliteStore({ path }).close();
  const db = new Database(path);
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  assert.throws(() => openSqliteStore({ path }), /newer than this middleware/);
});

test('at most one active session per customer and channel', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  assert.equal(await store.insertSession(session('s1')), true);
  assert.equal(await store.insertSession(session('s2')), false);
  assert.equal(await store.insertSession(session('s3', 'c2')), true);
  await store.recordSessionResources('s1', { conversationSid: 'CH1' });
  await store.markSessionOpen('s1');
  assert.equal((await store.findActiveSession('chatapp', 'c1'))?.state, 'open');
  assert.equal((await store.findSessionByConversationSid('CH1'))?.id, 's1');

  const followUp = { queue: 'to-channel' as const, orderingKey: 's1', payload: { ended: true } };
  assert.equal(await store.closeSession('s1', 5, followUp), true);
  assert.equal(await store.closeSession('s1', 6, followUp), false, 'closing twice queues nothing');
  assert.equal((await store.claimDue('to-channel', Date.now(), 10, 1000)).length, 1);
  assert.equal(await store.findActiveSession('chatapp', 'c1'), undefined);
  assert.equal(await store.insertSession(session('s4')), true, 'a closed session frees the customer');
  await store.close();
});

test('enqueue remembers dedupe keys, even when one of several was seen', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const entry = { queue: 'to-channel' as const, orderingKey: 'k', payload: 1 };
  assert.equal(await store.enqueue(entry, ['token:a', 'message:1']), true);
  assert.equal(await store.enqueue(entry, ['token:b', 'message:1']), false);
  assert.equal(await store.enqueue(entry, ['token:b', 'message:2']), false, 'token:b was remembered');
  assert.equal(await store.pruneDedupeKeys(Date.now() + 1), 4);
  assert.equal(await store.enqueue(entry, ['token:a']), true);
  await store.close();
});

test('claims only the oldest entry of each key, never one already leased', async () => {
  const store = openSqliteStore({ path: ':memory:', now: () => 100 });
  for (const [key, n] of [['a', 1], ['a', 2], ['b', 1]] as const) {
    await store.enqueue({ queue: 'to-flex', orderingKey: key, payload: `${key}${n}` });
  }
  const first = await store.claimDue('to-flex', 100, 10, 1000);
  assert.deepEqual(first.map((item) => item.payload).sort(), ['a1', 'b1']);
  assert.deepEqual(await store.claimDue('to-flex', 100, 10, 1000), [], 'heads are leased, a2 waits behind a1');

  const a1 = first.find((item) => item.payload === 'a1')!;
  await store.retryLater(a1.id, 500, 'Twilio answered 500');
  assert.deepEqual(await store.claimDue('to-flex', 400, 10, 1000), [], 'a1 not due yet, a2 still behind it');
  const again = await store.claimDue('to-flex', 500, 10, 1000);
  assert.deepEqual(again.map((item) => [item.payload, item.attempts]), [['a1', 2]]);

  await store.markFailed(a1.id, 'Twilio answered 400');
  assert.deepEqual((await store.claimDue('to-flex', 500, 10, 1000)).map((item) => item.payload), ['a2'], 'a failed entry stops blocking');
  assert.deepEqual(await store.countOutbox(), [{ queue: 'to-flex', pending: 2, failed: 1 }]);
  assert.deepEqual((await store.claimDue('to-flex', 100 + 2000, 10, 1000)).map((item) => item.payload).sort(), ['a2', 'b1'], 'expired leases are claimable again');
  await store.close();
});
