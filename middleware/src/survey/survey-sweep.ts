import type { Logger } from '../observability/logger.js';
import { startPeriodicJob } from '../shared/periodic-job.js';
import type { SurveyRecords } from '../store/surveys.js';
import type { SurveyRunner } from './survey-runner.js';

export const DEFAULT_SURVEY_SWEEP_INTERVAL_MS = 5000;
/** Surveys handled per run; the next run takes the rest. */
const SURVEYS_PER_SWEEP = 200;

export interface SurveySweepDeps {
  runner: Pick<SurveyRunner, 'sweep'>;
  records: Pick<SurveyRecords, 'pruneClosedSurveys'>;
  /** Closed surveys are kept as long as transcripts (RETENTION_TRANSCRIPT_DAYS). */
  retentionMs: number;
  intervalMs?: number;
  logger: Logger;
  now?: () => number;
}

/** Closes timed-out surveys, repairs what a crash left half done, forgets closed surveys past retention. */
export function startSurveySweep(deps: SurveySweepDeps): () => Promise<void> {
  const now = deps.now ?? Date.now;
  return startPeriodicJob({
    run: async () => ({ ...(await deps.runner.sweep(SURVEYS_PER_SWEEP)), pruned: await deps.records.pruneClosedSurveys(now() - deps.retentionMs) }),
    intervalMs: deps.intervalMs ?? DEFAULT_SURVEY_SWEEP_INTERVAL_MS,
    logger: deps.logger,
    doneMessage: 'survey sweep',
    failedMessage: 'survey sweep failed',
  });
}
