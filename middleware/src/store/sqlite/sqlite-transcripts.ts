import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { VisitorEvent } from '../../webchat/protocol.js';
import type { TranscriptEntry, Transcripts } from '../transcripts.js';

/** The web chat transcripts in the middleware's SQLite file (tables `webchat_events`, `webchat_visitors`, `webchat_meta`). */
export function sqliteTranscripts(db: Database.Database, now: () => number): Transcripts {
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

  return {
    epoch: async () => epoch,
    async append(channelType, visitorId, key, event) {
      return append.immediate(channelType, visitorId, key, event);
    },
    async read(channelType, visitorId, afterSeq, limit) {
      return statements.after.all(channelType, visitorId, afterSeq, limit).map((row) => ({ seq: row.seq, event: JSON.parse(row.payload) as VisitorEvent }));
    },
    async readPage(channelType, visitorId, afterSeq, page) {
      const entries: TranscriptEntry[] = [];
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
      return statements.hasKey.get(channelType, visitorId, key) !== undefined;
    },
    async lastSeq(channelType, visitorId) {
      return statements.lastSeq.get(channelType, visitorId)?.seq ?? 0;
    },
    async prune(before) {
      return statements.prune.run(before).changes;
    },
    async forget(channelType, visitorId) {
      return statements.forgetEvents.run(channelType, visitorId).changes;
    },
  };
}
