import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { startWalCheckpointer } from '../src/store/sqlite/wal-checkpointer.js';
import { DEFAULT_RETENTION } from '../src/retention/retention-policy.js';
import { eventually } from '@custom-channels/test-kit/poll';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'cc-store-')), 'nested', 'store.sqlite');

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

test('checkpoints from a background thread: commits leave the database file alone, the thread catches it up', async () => {
  const path = tempDb();
  // The store's own thread does not tick during the test, so any change to the file would come from a commit.
  const store = openSqliteStore({ path, checkpointIntervalMs: 3_600_000 });
  const sizeBefore = statSync(path).size;
  // Far more WAL pages than SQLite's automatic checkpoint (1,000) would let through.
  for (let i = 0; i < 3_000; i += 1) await store.enqueue({ queue: 'to-flex', orderingKey: `k${i % 50}`, payload: { text: 'x'.repeat(200) } }, []);
  assert.equal(statSync(path).size, sizeBefore, 'no commit ran a checkpoint');
  const checkpointer = startWalCheckpointer(path, { intervalMs: 20 });
  await eventually(() => statSync(path).size > sizeBefore, 'the background checkpoint copied the log into the database file', 5_000);
  await checkpointer.stop();
  await store.close();
  const db = new Database(path, { readonly: true });
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n, 3_000);
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

test("a database from before claims walked only heads: its queued entries go out in each key's order after the upgrade", async () => {
  const path = tempDb();
  mkdirSync(dirname(path), { recursive: true });
  const old = new Database(path);
  const headsMigration = MIGRATIONS.findIndex((sql) => sql.includes('CREATE INDEX outbox_due_heads'));
  for (const migration of MIGRATIONS.slice(0, headsMigration)) old.exec(migration);
  old.pragma(`user_version = ${headsMigration}`);
  const insert = old.prepare(`INSERT INTO outbox (queue, ordering_key, payload, next_attempt_at, created_at) VALUES ('to-flex', ?, ?, 0, 0)`);
  for (const [key, payload] of [
    ['a', 'a1'],
    ['b', 'b1'],
    ['a', 'a2'],
    ['b', 'b2'],
  ])
    insert.run(key, JSON.stringify(payload));
  old.close();
  const store = openSqliteStore({ path });
  const claimed: string[] = [];
  for (let round = 0; round < 3; round += 1) {
    const items = await store.claimDue('to-flex', Date.now(), 10, 60_000);
    for (const item of items) {
      claimed.push(item.payload as string);
      await store.complete(item.id);
    }
  }
  assert.deepEqual(claimed, ['a1', 'b1', 'a2', 'b2']);
  await store.close();
});

test('prunes dedupe keys past their retention (Redis expires them by TTL instead)', async () => {
  let clock = 1_000;
  const store = openSqliteStore({
    path: ':memory:',
    now: () => clock,
    retention: { ...DEFAULT_RETENTION, dedupeMs: 100 },
  });
  const entry = { queue: 'to-channel' as const, orderingKey: 'k', payload: 1 };
  assert.equal(await store.enqueue(entry, ['token:a', 'message:1']), true);
  assert.equal(await store.enqueue(entry, ['token:b', 'message:1']), false);
  assert.equal(await store.enqueue(entry, ['token:b', 'message:2']), false, 'token:b was remembered');
  clock += 100;
  assert.equal((await store.prune()).dedupeKeys, 0, 'kept for the whole retention');
  clock += 1;
  assert.equal((await store.prune()).dedupeKeys, 4);
  assert.equal(await store.enqueue(entry, ['token:a']), true);
  await store.close();
});
