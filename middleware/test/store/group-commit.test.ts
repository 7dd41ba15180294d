import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { groupCommit } from '../../src/store/sqlite/group-commit.js';

function openPair() {
  const path = join(mkdtempSync(join(tmpdir(), 'cc-group-commit-')), 'store.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (x TEXT PRIMARY KEY)');
  // Another connection sees `data_version` change once per commit made by this one.
  const observer = new Database(path, { readonly: true });
  const commits = () => observer.pragma('data_version', { simple: true }) as number;
  const rows = () => (observer.prepare('SELECT x FROM t ORDER BY rowid').all() as Array<{ x: string }>).map((row) => row.x);
  return { db, commits, rows };
}

test('the writes of one event-loop turn are one commit, resolved only once it is on disk, in the order asked', async () => {
  const { db, commits, rows } = openPair();
  const group = groupCommit(db);
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  const before = commits();
  const writes = ['a', 'b', 'c', 'd', 'e'].map((x) => group.write(() => insert.run(x).changes));
  assert.deepEqual(rows(), [], 'nothing is written before the turn ends');
  assert.deepEqual(await Promise.all(writes), [1, 1, 1, 1, 1]);
  assert.equal(commits() - before, 1, 'one commit for the five writes');
  assert.deepEqual(rows(), ['a', 'b', 'c', 'd', 'e'], 'another connection reads them once they resolved');

  await group.write(() => insert.run('f'));
  assert.equal(commits() - before, 2, 'a later turn is a commit of its own');
});

test('a write that throws is rolled back alone and rejects; the others of its group commit', async () => {
  const { db, rows } = openPair();
  const group = groupCommit(db);
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  const first = group.write(() => insert.run('a'));
  const failing = group.write(() => {
    insert.run('half-done');
    insert.run('a');
  });
  const last = group.write(() => insert.run('z'));
  await first;
  await assert.rejects(failing, /UNIQUE constraint failed/);
  await last;
  assert.deepEqual(rows(), ['a', 'z'], "the failed write's first insert is rolled back with it");
});

test('flush commits what waits at once, so a close loses nothing', async () => {
  const { db, rows } = openPair();
  const group = groupCommit(db);
  const written = group.write(() => db.prepare('INSERT INTO t (x) VALUES (?)').run('kept'));
  group.flush();
  assert.deepEqual(rows(), ['kept']);
  db.close();
  await written;
});
