import type { McsClient } from '../flex/mcs-client.js';
import type { Logger } from '../observability/logger.js';
import { startPeriodicJob } from '../shared/periodic-job.js';
import type { StoredUpload, UploadRecords } from '../store/uploads.js';
import type { UploadLimits } from './upload-limits.js';

export interface UploadCleanupDeps {
  records: UploadRecords;
  mcs: Pick<McsClient, 'remove'>;
  limits: Pick<UploadLimits, 'unusedAfterMs'>;
  /** How long a used upload's record is kept (the transcript's retention: an erasure in that time finds its file). */
  usedRecordMs: number;
  logger: Logger;
  intervalMs?: number;
  now?: () => number;
}

/** Files deleted, files Twilio no longer had, records kept for the next pass (Twilio failed). */
export interface CleanupCounts {
  deleted: number;
  alreadyGone: number;
  failed: number;
}

export const UPLOAD_CLEANUP_INTERVAL_MS = 5 * 60 * 1000;
const BATCH = 100;
/** A pass stops after this many, so one run stays bounded; the next pass goes on. */
const MAX_PER_PASS = 1000;

/** Deletes files from the Media Content Service and forgets their records; a failure keeps the record. */
export async function deleteUploadedFiles(records: UploadRecords, mcs: Pick<McsClient, 'remove'>, uploads: StoredUpload[]): Promise<CleanupCounts> {
  const counts: CleanupCounts = { deleted: 0, alreadyGone: 0, failed: 0 };
  const done: string[] = [];
  for (const upload of uploads) {
    try {
      // Without a Media SID the file never reached Twilio (refused, or the instance stopped mid-upload).
      if (upload.serviceSid && upload.mediaSid) counts[(await mcs.remove(upload.serviceSid, upload.mediaSid)) ? 'deleted' : 'alreadyGone'] += 1;
      done.push(upload.id);
    } catch {
      counts.failed += 1;
    }
  }
  await records.deleteUploads(done);
  return counts;
}

/** One pass: uploads no message named within `unusedAfterMs` are deleted, then old records of used ones forgotten. */
export async function cleanUpUploads(deps: UploadCleanupDeps): Promise<CleanupCounts & { forgotten: number }> {
  const now = deps.now ?? Date.now;
  const total: CleanupCounts = { deleted: 0, alreadyGone: 0, failed: 0 };
  const before = now() - deps.limits.unusedAfterMs;
  for (let seen = 0; seen < MAX_PER_PASS; seen += BATCH) {
    const due = await deps.records.listUnusedUploads(before, BATCH);
    const counts = await deleteUploadedFiles(deps.records, deps.mcs, due);
    for (const key of Object.keys(total) as Array<keyof CleanupCounts>) total[key] += counts[key];
    // Twilio in trouble: the rest waits for the next pass rather than adding to it.
    if (counts.failed > 0 || due.length < BATCH) break;
  }
  const forgotten = await deps.records.pruneUsedUploads(now() - deps.usedRecordMs);
  return { ...total, forgotten };
}

/** Runs the cleanup now and every few minutes; returns a function that stops it. */
export function startUploadCleanup(deps: UploadCleanupDeps): () => Promise<void> {
  return startPeriodicJob({
    run: () => cleanUpUploads(deps),
    intervalMs: deps.intervalMs ?? UPLOAD_CLEANUP_INTERVAL_MS,
    logger: deps.logger,
    doneMessage: 'web chat uploads cleaned up',
    failedMessage: 'web chat upload cleanup failed',
  });
}
