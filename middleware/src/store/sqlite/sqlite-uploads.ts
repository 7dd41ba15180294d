import type Database from 'better-sqlite3';
import type { StoredUpload, UploadAdmission, UploadRecords } from '../uploads.js';

interface UploadRow {
  id: string;
  channel_type: string;
  customer_id: string;
  size: number;
  uploaded_at: number;
  service_sid: string | null;
  media_sid: string | null;
  used_at: number | null;
}

/** The uploads' records in the middleware's SQLite file (table `webchat_uploads`). */
export function sqliteUploadRecords(db: Database.Database, now: () => number): UploadRecords {
  const statements = {
    visitorWindow: db.prepare<[string, string, number], { count: number; bytes: number; oldest: number | null }>(
      `SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes, MIN(uploaded_at) AS oldest
         FROM webchat_uploads WHERE channel_type = ? AND customer_id = ? AND uploaded_at > ?`,
    ),
    pending: db.prepare<[], { count: number; bytes: number }>(
      `SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes FROM webchat_uploads WHERE used_at IS NULL`,
    ),
    insert: db.prepare(`INSERT INTO webchat_uploads (id, channel_type, customer_id, size, uploaded_at) VALUES (?, ?, ?, ?, ?)`),
    recordMedia: db.prepare(`UPDATE webchat_uploads SET service_sid = ?, media_sid = ? WHERE id = ?`),
    markUsed: db.prepare<[number, string, string, string], { id: string }>(
      `UPDATE webchat_uploads SET used_at = COALESCE(used_at, ?) WHERE channel_type = ? AND customer_id = ? AND media_sid = ? RETURNING id`,
    ),
    unused: db.prepare<[number, number], UploadRow>(`SELECT * FROM webchat_uploads WHERE used_at IS NULL AND uploaded_at < ? ORDER BY uploaded_at, id LIMIT ?`),
    ofCustomer: db.prepare<[string, string], UploadRow>(`SELECT * FROM webchat_uploads WHERE channel_type = ? AND customer_id = ? ORDER BY uploaded_at, id`),
    release: db.prepare(`UPDATE webchat_uploads SET customer_id = '', uploaded_at = 0, used_at = NULL WHERE channel_type = ? AND customer_id = ?`),
    delete: db.prepare(`DELETE FROM webchat_uploads WHERE id = ?`),
    pruneUsed: db.prepare(`DELETE FROM webchat_uploads WHERE used_at IS NOT NULL AND used_at < ?`),
  };

  const admit = db.transaction(
    (upload: Pick<StoredUpload, 'id' | 'channelType' | 'customerId' | 'size'>, quota: Parameters<UploadRecords['admitUpload']>[1]): UploadAdmission => {
      const at = now();
      const recent = statements.visitorWindow.get(upload.channelType, upload.customerId, at - quota.windowMs)!;
      const retryAfterMs = Math.max(1, (recent.oldest ?? at) + quota.windowMs - at);
      if (recent.count + 1 > quota.visitorUploads) return { admitted: false, limit: 'visitor-uploads', retryAfterMs };
      if (recent.bytes + upload.size > quota.visitorBytes) return { admitted: false, limit: 'visitor-bytes', retryAfterMs };
      const pending = statements.pending.get()!;
      if (pending.count + 1 > quota.pendingUploads) return { admitted: false, limit: 'pending-uploads' };
      if (pending.bytes + upload.size > quota.pendingBytes) return { admitted: false, limit: 'pending-bytes' };
      statements.insert.run(upload.id, upload.channelType, upload.customerId, upload.size, at);
      return { admitted: true };
    },
  );
  const markUsed = db.transaction((channelType: string, customerId: string, mediaSids: string[]) => {
    const at = now();
    return [...new Set(mediaSids)].filter((mediaSid) => statements.markUsed.all(at, channelType, customerId, mediaSid).length > 0).length;
  });
  const deleteAll = db.transaction((ids: string[]) => {
    for (const id of ids) statements.delete.run(id);
  });

  return {
    async admitUpload(upload, quota) {
      return admit.immediate(upload, quota);
    },
    async recordUploadMedia(id, serviceSid, mediaSid) {
      statements.recordMedia.run(serviceSid, mediaSid, id);
    },
    async markUploadsUsed(channelType, customerId, mediaSids) {
      return markUsed.immediate(channelType, customerId, mediaSids);
    },
    async listUnusedUploads(uploadedBefore, limit) {
      return statements.unused.all(uploadedBefore, limit).map(toUpload);
    },
    async listCustomerUploads(channelType, customerId) {
      return statements.ofCustomer.all(channelType, customerId).map(toUpload);
    },
    async releaseCustomerUploads(channelType, customerId) {
      return statements.release.run(channelType, customerId).changes;
    },
    async deleteUploads(ids) {
      deleteAll.immediate(ids);
    },
    async pruneUsedUploads(usedBefore) {
      return statements.pruneUsed.run(usedBefore).changes;
    },
  };
}

function toUpload(row: UploadRow): StoredUpload {
  return {
    id: row.id,
    channelType: row.channel_type,
    customerId: row.customer_id,
    size: row.size,
    uploadedAt: row.uploaded_at,
    ...(row.service_sid !== null && row.media_sid !== null ? { serviceSid: row.service_sid, mediaSid: row.media_sid } : {}),
    ...(row.used_at !== null ? { usedAt: row.used_at } : {}),
  };
}
