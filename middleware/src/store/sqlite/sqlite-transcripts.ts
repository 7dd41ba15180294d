import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openDatabase } from '../store/sqlite/open-database.js';
import type { VisitorEvent } from './protocol.js';

/**
 * Each web chat visitor's transcript: their messages, the agents' and the ends of their
 * chats, numbered 1, 2, 3... per visitor. A delivery is written here before it is pushed
 * to the visitor's sockets, so a visitor who was offline catches up on reconnect by
 * asking for everything after the last number they saw.
 */
export interface WebchatLog {
  /** A random id of this log, created with it: a browser holding numbers from another log starts over. */
  readonly epoch: string;
  /**
   * True when appending also tells every instance (Redis pub/sub): the caller must then not
   * push the entry to local sockets itself, the log's subscription does, in `seq` order.
   */
  readonly fansOut?: boolean;
  /** Appends an event once per (visitor, key); appending the same key again returns the first entry. */
  append(channelType: string, visitorId: string, key: string, event: VisitorEvent): Promise<{ seq: number; event: VisitorEvent; created: boolean }>;
  /** Events after `afterSeq`, oldest first; at most `limit` (the most recent ones when there are more). */
  read(channelType: string, visitorId: string, afterSeq: number, limit: number): Promise<Array<{ seq: number; event: VisitorEvent }>>;
  /**
   * The next events after `afterSeq`, oldest first: at most `page.limit`, and none more once
   * their stored size reaches `page.maxBytes` (at least one). A socket catching up reads
   * its history page by page, each no larger than the room left in its send buffer.
   */
  readPage(channelType: string, visitorId: string, afterSeq: number, page: LogPage): Promise<Array<{ seq: number; event: VisitorEvent }>>;
  /** Whether the visitor has an event appended under `key`. */
  has(channelType: string, visitorId: string, key: string): Promise<boolean>;
  /** The visitor's last number (0 before their first event); kept when their events are pruned or forgotten. */
  lastSeq(channelType: string, visitorId: string): Promise<number>;
  /**
   * Forgets events logged before `before` (epoch ms), returns how many. Each visitor's
   * numbering carries on where it was: the last number is kept, not the content.
   */
  prune(before: number): Promise<number>;
  /**
   * Forgets one visitor's transcript (erasure); returns how many events. Their last number
   * stays: a browser still holding their token must not miss the next messages.
   */
  forget(channelType: string, visitorId: string): Promise<number>;
  close(): Promise<void>;
}

export interface LogPage {
  limit: number;
  maxBytes: number;
}

/**
 * The web chat's own tables, in the middleware's SQLite file. Applied in order and never
 * edited once released; the applied versions are kept in `webchat_migrations`, apart
 * from the core store's `user_version`.
 */
export const WEBCHAT_MIGRATIONS: readonly string[] = [
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
  // Each visitor's last number, kept apart from the events so that pruning can drop them all.
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

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS webchat_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM webchat_migrations').get() as { v: number }).v;
  if (applied > WEBCHAT_MIGRATIONS.length) {
    throw new Error(`the web chat tables are at version ${applied}, newer than this middleware (${WEBCHAT_MIGRATIONS.length})`);
  }
  WEBCHAT_MIGRATIONS.slice(applied).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO webchat_migrations (version, applied_at) VALUES (?, ?)').run(applied + index + 1, Date.now());
    })();
  });
}

export interface WebchatLogOptions {
  /** The SQLite file (the middleware's own), or `:memory:`. */
  path: string;
  now?: () => number;
  /** A failure of the file's checkpoint thread, which is restarted. */
  onError?: (error: Error) => void;
}

export function openWebchatLog(options: WebchatLogOptions): WebchatLog {
  const now = options.now ?? Date.now;
  const database = openDatabase(options.path, options.onError);
  const { db } = database;
  try {
    db.transaction(() => migrate(db)).immediate();
  } catch (error) {
    void database.close();
    throw error;
  }

  db.prepare(`INSERT OR IGNORE INTO webchat_meta (key, value) VALUES ('epoch', ?)`).run(randomBytes(9).toString('base64url'));
  const epoch = (db.prepare(`SELECT value FROM webchat_meta WHERE key = 'epoch'`).get() as { value: string }).value;

  const statements = {
    byKey: db.prepare<[string, string, string], { seq: number; payload: string }>(
      'SELECT seq, payload FROM webchat_events WHERE channel_type = ? AND visitor_id = ? AND event_key = ?',
    ),
    nextSeq: db.prepare<[string, string], { seq: number }>(
      `INSERT INTO webchat_visitors (channel_type, visitor_id, last_seq) VALUES (?, ?, 1)
       ON CONFLICT DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq AS seq`,
    ),
    insert: db.prepare('INSERT INTO webchat_events (channel_type, visitor_id, seq, event_key, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    after: db.prepare<[string, string, number, number], { seq: number; payload: string }>(
      `SELECT seq, payload FROM (
         SELECT seq, payload FROM webchat_events WHERE channel_type = ? AND visitor_id = ? AND seq > ? ORDER BY seq DESC LIMIT ?
       ) ORDER BY seq`,
    ),
    page: db.prepare<[string, string, number, number], { seq: number; payload: string }>(
      'SELECT seq, payload FROM webchat_events WHERE channel_type = ? AND visitor_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    hasKey: db.prepare<[string, string, string], { seq: number }>('SELECT seq FROM webchat_events WHERE channel_type = ? AND visitor_id = ? AND event_key = ?'),
    lastSeq: db.prepare<[string, string], { seq: number }>('SELECT last_seq AS seq FROM webchat_visitors WHERE channel_type = ? AND visitor_id = ?'),
    prune: db.prepare('DELETE FROM webchat_events WHERE created_at < ?'),
    forgetEvents: db.prepare('DELETE FROM webchat_events WHERE channel_type = ? AND visitor_id = ?'),
  };

  const append = db.transaction((channelType: string, visitorId: string, key: string, event: VisitorEvent) => {
    const existing = statements.byKey.get(channelType, visitorId, key);
    if (existing) return { seq: existing.seq, event: JSON.parse(existing.payload) as VisitorEvent, created: false };
    const seq = statements.nextSeq.get(channelType, visitorId)!.seq;
    statements.insert.run(channelType, visitorId, seq, key, JSON.stringify(event), now());
    return { seq, event, created: true };
  });

  let closed = false;
  const open = () => {
    if (closed) throw new Error('the web chat log is closed');
  };
  return {
    epoch,
    async append(channelType, visitorId, key, event) {
      open();
      return append.immediate(channelType, visitorId, key, event);
    },
    async read(channelType, visitorId, afterSeq, limit) {
      open();
      return statements.after.all(channelType, visitorId, afterSeq, limit).map((row) => ({ seq: row.seq, event: JSON.parse(row.payload) as VisitorEvent }));
    },
    async readPage(channelType, visitorId, afterSeq, page) {
      open();
      const entries = [];
      let bytes = 0;
      // Row by row: the rows past the byte budget are never read from the file.
      for (const row of statements.page.iterate(channelType, visitorId, afterSeq, page.limit)) {
        entries.push({ seq: row.seq, event: JSON.parse(row.payload) as VisitorEvent });
        bytes += row.payload.length;
        if (bytes >= page.maxBytes) break;
      }
      return entries;
    },
    async has(channelType, visitorId, key) {
      open();
      return statements.hasKey.get(channelType, visitorId, key) !== undefined;
    },
    async lastSeq(channelType, visitorId) {
      open();
      return statements.lastSeq.get(channelType, visitorId)?.seq ?? 0;
    },
    async prune(before) {
      open();
      return statements.prune.run(before).changes;
    },
    async forget(channelType, visitorId) {
      open();
      return statements.forgetEvents.run(channelType, visitorId).changes;
    },
    async close() {
      if (closed) return;
      closed = true;
      await database.close();
    },
  };
}
