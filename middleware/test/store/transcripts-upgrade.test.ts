/**
 * A SQLite file written before the transcripts moved into the store: the web chat then created
 * its tables itself, counting its versions in `webchat_migrations`. The store opens such a file
 * and keeps every transcript, its numbering and its epoch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/** The store's schema version when the web chat still kept its own tables. */
const STORE_VERSION_BEFORE = 7;

/** The web chat's own migrations as that code released them. */
const OLD_WEBCHAT_MIGRATIONS = [
  `
  CREATE TABLE webchat_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE webchat_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_type TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX webchat_events_by_seq ON webchat_events (channel_type, visitor_id, seq);
  CREATE UNIQUE INDEX webchat_events_once ON webchat_events (channel_type, visitor_id, event_key);
  CREATE INDEX webchat_events_by_age ON webchat_events (created_at);
  `,
  `
  CREATE TABLE webchat_visitors (
    channel_type TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (channel_type, visitor_id)
  );
  INSERT INTO webchat_visitors (channel_type, visitor_id, last_seq)
    SELECT channel_type, visitor_id, MAX(seq) FROM webchat_events GROUP BY channel_type, visitor_id;
  `,
];

/** A file as the old code left it: the store's tables, then the web chat's at `webchatVersion`. */
function oldFile(webchatVersion: number, fill: (db: Database.Database) => void): string {
  const path = join(mkdtempSync(join(tmpdir(), 'transcripts-upgrade-')), 'middleware.sqlite');
  const db = new Database(path);
  for (const sql of MIGRATIONS.slice(0, STORE_VERSION_BEFORE)) db.exec(sql);
  db.pragma(`user_version = ${STORE_VERSION_BEFORE}`);
  db.exec('CREATE TABLE webchat_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  OLD_WEBCHAT_MIGRATIONS.slice(0, webchatVersion).forEach((sql, index) => {
    db.exec(sql);
    db.prepare('INSERT INTO webchat_migrations (version, applied_at) VALUES (?, 0)').run(index + 1);
  });
  fill(db);
  db.close();
  return path;
}

const event = (id: string) => ({ kind: 'agent-message' as const, id, text: `text ${id}`, at: 1 });
const insertEvent = (db: Database.Database, visitorId: string, seq: number) =>
  db
    .prepare('INSERT INTO webchat_events (channel_type, visitor_id, seq, event_key, payload, created_at) VALUES (?, ?, ?, ?, ?, 0)')
    .run('webchat', visitorId, seq, `agent:${seq}`, JSON.stringify(event(String(seq))));

test('sqlite: a file the web chat migrated itself keeps its transcripts, their numbering and its epoch', async () => {
  const path = oldFile(2, (db) => {
    db.prepare(`INSERT INTO webchat_meta (key, value) VALUES ('epoch', 'old-epoch')`).run();
    for (const seq of [1, 2]) insertEvent(db, 'v_kept', seq);
    // A visitor whose events were pruned: only their last number is left.
    db.prepare(`INSERT INTO webchat_visitors (channel_type, visitor_id, last_seq) VALUES ('webchat', 'v_kept', 2), ('webchat', 'v_pruned', 9)`).run();
  });
  const store = openSqliteStore({ path });
  try {
    const { transcripts } = store;
    assert.equal(await transcripts.epoch(), 'old-epoch', 'browsers keep their numbers');
    assert.deepEqual(await transcripts.read('webchat', 'v_kept', 0, 10), [
      { seq: 1, event: event('1') },
      { seq: 2, event: event('2') },
    ]);
    assert.equal(await transcripts.has('webchat', 'v_kept', 'agent:2'), true);
    assert.equal(await transcripts.lastSeq('webchat', 'v_pruned'), 9);
    assert.equal((await transcripts.append('webchat', 'v_pruned', 'agent:10', event('10'))).seq, 10);
    assert.equal((await transcripts.append('webchat', 'v_kept', 'agent:3', event('3'))).seq, 3);
  } finally {
    await store.close();
  }
  const db = new Database(path);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.equal(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'webchat_migrations'`).get(), undefined, 'one migration list');
  db.close();
});

test('sqlite: a transcript written before the numbering table keeps its numbers', async () => {
  const path = oldFile(1, (db) => {
    for (const seq of [1, 2, 3]) insertEvent(db, 'v_old', seq);
  });
  const store = openSqliteStore({ path });
  try {
    assert.equal((await store.transcripts.append('webchat', 'v_old', 'agent:4', { kind: 'agent-message', id: '4', text: 't', at: 1 })).seq, 4);
  } finally {
    await store.close();
  }
});
