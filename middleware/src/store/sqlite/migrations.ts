import type Database from 'better-sqlite3';

/**
 * Schema changes, applied in order and never edited once released: add a new entry
 * instead. The applied count is kept in SQLite's `user_version`.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    channel_type TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    identity TEXT NOT NULL,
    mode TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('creating', 'open', 'closed')),
    conversation_sid TEXT,
    resources TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    closed_at INTEGER
  );
  -- The last line of defence for "one open conversation per customer per channel".
  CREATE UNIQUE INDEX sessions_one_active_per_customer
    ON sessions (channel_type, customer_id) WHERE state IN ('creating', 'open');
  CREATE INDEX sessions_by_conversation ON sessions (conversation_sid);

  CREATE TABLE outbox (
    -- AUTOINCREMENT: ids never go back, so they order the entries of a key.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    ordering_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX outbox_heads ON outbox (queue, state, ordering_key, id);

  CREATE TABLE dedupe_keys (
    key TEXT PRIMARY KEY,
    first_seen_at INTEGER NOT NULL
  );
  CREATE INDEX dedupe_keys_by_age ON dedupe_keys (first_seen_at);
  `,
  // Dead letters: when an entry was parked.
  `
  ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
  `,
  // Claims walk a queue's pending entries oldest first and stop at the first due heads.
  `
  CREATE INDEX outbox_pending_in_order ON outbox (queue, state, id);
  `,
  // Retention and erasure: find a customer's sessions, closed sessions by age, and the dedupe
  // keys an ordering key wrote (keys remembered before this have no owner and age out).
  `
  CREATE INDEX sessions_by_customer ON sessions (channel_type, customer_id);
  CREATE INDEX sessions_closed_by_age ON sessions (closed_at) WHERE state = 'closed';
  ALTER TABLE dedupe_keys ADD COLUMN owner TEXT;
  CREATE INDEX dedupe_keys_by_owner ON dedupe_keys (owner) WHERE owner IS NOT NULL;
  `,
  // Claims walk only the heads (each key's oldest pending entry), from an index that answers
  // whether each is due, so a backlog behind them costs a claim nothing; before, a claim read
  // every pending entry when few heads were due.
  `
  ALTER TABLE outbox ADD COLUMN head INTEGER NOT NULL DEFAULT 0;
  UPDATE outbox SET head = 1
   WHERE id IN (SELECT MIN(id) FROM outbox WHERE state = 'pending' GROUP BY queue, ordering_key);
  CREATE INDEX outbox_due_heads ON outbox (queue, id, next_attempt_at, lease_until) WHERE state = 'pending' AND head = 1;
  DROP INDEX outbox_pending_in_order;
  `,
  // Web chat uploads: quotas, deletion of files no message named, erasure (see store/uploads.ts).
  `
  CREATE TABLE webchat_uploads (
    id TEXT PRIMARY KEY,
    channel_type TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_at INTEGER NOT NULL,
    service_sid TEXT,
    media_sid TEXT,
    used_at INTEGER
  );
  CREATE INDEX webchat_uploads_by_customer ON webchat_uploads (channel_type, customer_id, uploaded_at);
  CREATE INDEX webchat_uploads_unused ON webchat_uploads (uploaded_at) WHERE used_at IS NULL;
  CREATE INDEX webchat_uploads_used ON webchat_uploads (used_at) WHERE used_at IS NOT NULL;
  `,
  // Erasure tombstones: keyed hashes of an erased customer's dedupe keys, kept for the replay
  // window so that a replayed request cannot bring the customer back.
  `
  CREATE TABLE erasure_tombstones (
    hash TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX erasure_tombstones_by_expiry ON erasure_tombstones (expires_at);
  `,
  // Web chat transcripts (see store/transcripts.ts). The web chat used to create these tables
  // itself, counting its versions in `webchat_migrations`: a file it wrote keeps them as they
  // are (a visitor's last number included), and gets the numbering table if it lacked it.
  `
  CREATE TABLE IF NOT EXISTS webchat_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS webchat_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_type TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS webchat_events_by_seq ON webchat_events (channel_type, visitor_id, seq);
  CREATE UNIQUE INDEX IF NOT EXISTS webchat_events_once ON webchat_events (channel_type, visitor_id, event_key);
  CREATE INDEX IF NOT EXISTS webchat_events_by_age ON webchat_events (created_at);
  -- Each visitor's last number, kept apart from the events so that pruning can drop them all.
  CREATE TABLE IF NOT EXISTS webchat_visitors (
    channel_type TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (channel_type, visitor_id)
  );
  INSERT OR IGNORE INTO webchat_visitors (channel_type, visitor_id, last_seq)
    SELECT channel_type, visitor_id, MAX(seq) FROM webchat_events GROUP BY channel_type, visitor_id;
  DROP TABLE IF EXISTS webchat_migrations;
  `,
  `
  CREATE TABLE surveys (
    session_id TEXT PRIMARY KEY,
    channel_type TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('asking', 'writing', 'closed')),
    deadline INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX surveys_by_customer ON surveys (channel_type, customer_id, started_at);
  CREATE INDEX surveys_by_deadline ON surveys (state, deadline);
  `,
];

export function migrate(db: Database.Database): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  if (applied > MIGRATIONS.length) {
    throw new Error(`the database is at schema version ${applied}, newer than this middleware (${MIGRATIONS.length})`);
  }
  MIGRATIONS.slice(applied).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${applied + index + 1}`);
    })();
  });
}
