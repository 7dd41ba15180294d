import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startWalCheckpointer } from '../src/store/sqlite/wal-checkpointer.js';
import { eventually } from '@custom-channels/test-kit/poll';

test('a failing checkpoint thread is reported and restarted with a backoff, and never takes the process down', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'cc-store-')), 'store.sqlite');
  const failures: Error[] = [];
  // The thread opens a database that must exist: until it does, every start fails for real.
  const checkpointer = startWalCheckpointer(path, {
    intervalMs: 20,
    restartPolicy: { baseDelayMs: 20, maxDelayMs: 80, maxAttempts: Number.POSITIVE_INFINITY },
    onError: (error) => failures.push(error),
  });
  await eventually(() => failures.length >= 3, 'three failed starts reported');
  assert.match(failures[0]!.message, /^the WAL checkpoint thread failed; restarting it in \d+ ms$/);
  assert.match(String((failures[0]!.cause as Error).message), /unable to open database file/);

  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (x TEXT)');
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  for (let i = 0; i < 2_000; i += 1) insert.run('x'.repeat(200));
  const sizeBefore = statSync(path).size;
  await eventually(() => statSync(path).size > sizeBefore, 'a restarted thread checkpointed the log into the file');
  const reported = failures.length;
  await checkpointer.stop();
  assert.ok(reported >= 3 && failures.length === reported, 'a stopped checkpointer reports nothing more');
  db.close();
});
