import type Database from 'better-sqlite3';
import type { StoredSurvey, SurveyRecords } from '../surveys.js';

/** The surveys in the middleware's SQLite file (table `surveys`): the survey as JSON, with the columns the lookups need. */
export function sqliteSurveyRecords(db: Database.Database): SurveyRecords {
  const statements = {
    insert: db.prepare(
      `INSERT OR IGNORE INTO surveys (session_id, channel_type, customer_id, started_at, state, deadline, revision, body) VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
    ),
    get: db.prepare<[string], { body: string }>(`SELECT body FROM surveys WHERE session_id = ?`),
    latest: db.prepare<[string, string], { body: string }>(
      `SELECT body FROM surveys WHERE channel_type = ? AND customer_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1`,
    ),
    update: db.prepare(`UPDATE surveys SET state = ?, deadline = ?, revision = revision + 1, body = ? WHERE session_id = ? AND revision = ?`),
    due: db.prepare<[number, number], { body: string }>(
      `SELECT body FROM surveys WHERE (state = 'asking' AND deadline <= ?) OR state = 'writing' ORDER BY deadline LIMIT ?`,
    ),
    forget: db.prepare(`DELETE FROM surveys WHERE channel_type = ? AND customer_id = ?`),
    prune: db.prepare(`DELETE FROM surveys WHERE state = 'closed' AND deadline < ?`),
  };
  return {
    async createSurvey(survey) {
      const stored = { ...survey, revision: 0 };
      return (
        statements.insert.run(survey.sessionId, survey.channelType, survey.customerId, survey.startedAt, survey.state, survey.deadline, JSON.stringify(stored))
          .changes === 1
      );
    },
    async getSurvey(sessionId) {
      return parse(statements.get.get(sessionId));
    },
    async findLatestSurvey(channelType, customerId) {
      return parse(statements.latest.get(channelType, customerId));
    },
    async updateSurvey(survey, revision) {
      const stored = { ...survey, revision: revision + 1 };
      return statements.update.run(survey.state, survey.deadline, JSON.stringify(stored), survey.sessionId, revision).changes === 1;
    },
    async listDueSurveys(now, limit) {
      return statements.due.all(now, limit).map((row) => JSON.parse(row.body) as StoredSurvey);
    },
    async forgetCustomerSurveys(channelType, customerId) {
      return statements.forget.run(channelType, customerId).changes;
    },
    async pruneClosedSurveys(closedBefore) {
      return statements.prune.run(closedBefore).changes;
    },
  };
}

function parse(row: { body: string } | undefined): StoredSurvey | undefined {
  return row ? (JSON.parse(row.body) as StoredSurvey) : undefined;
}
