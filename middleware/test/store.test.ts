import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';

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

test('refuses a database written by a newer version', async () => {
  const path = tempDb();
  await openSqliteStore({ path }).close();
  const db = new Database(path);
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  assert.throws(() => openSqliteStore({ path }), /newer than this middleware/);
});

test('prunes dedupe keys by age (Redis expires them by TTL instead)', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  const entry = { queue: 'to-channel' as const, orderingKey: 'k', payload: 1 };
  assert.equal(await store.enqueue(entry, ['token:a', 'message:1']), true);
  assert.equal(await store.enqueue(entry, ['token:b', 'message:1']), false);
  assert.equal(await store.enqueue(entry, ['token:b', 'message:2']), false, 'token:b was remembered');
  assert.equal(await store.pruneDedupeKeys(Date.now() + 1), 4);
  assert.equal(await store.enqueue(entry, ['token:a']), true);
  await store.close();
});
