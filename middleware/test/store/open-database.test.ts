import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, PAGE_SIZE_BYTES } from '../../src/store/sqlite/open-database.js';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'cc-open-db-')), 'store.db');

test('a new database file gets the smaller page size, in WAL mode', async () => {
  const opened = openDatabase(freshPath());
  opened.db.exec('CREATE TABLE t (x)');
  assert.equal(opened.db.pragma('page_size', { simple: true }), PAGE_SIZE_BYTES);
  assert.equal(opened.db.pragma('journal_mode', { simple: true }), 'wal');
  await opened.close();
});

test('an existing database keeps its page size and its rows', async () => {
  const path = freshPath();
  const before = new Database(path);
  before.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('kept')");
  const sqliteDefault = before.pragma('page_size', { simple: true });
  before.close();
  assert.notEqual(sqliteDefault, PAGE_SIZE_BYTES);
  const opened = openDatabase(path);
  assert.equal(opened.db.pragma('page_size', { simple: true }), sqliteDefault);
  assert.deepEqual(opened.db.prepare('SELECT x FROM t').pluck().all(), ['kept']);
  await opened.close();
});
