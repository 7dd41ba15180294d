/** How long each kind of personal data is kept; every value is configurable in days (see load-config.ts). */
export interface RetentionPolicy {
  /** A closed session (customer id, name, identity, Twilio SIDs), counted from when it closed. */
  closedSessionMs: number;
  /** A web chat transcript event (the visitor's and agents' text), counted from when it was logged. */
  transcriptMs: number;
  /** A dedupe key (inbound message id, Twilio message SID or idempotency token), from when it was first seen. */
  dedupeMs: number;
  /** A dead letter that no admin retried, from when it was parked. */
  deadLetterMs: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_RETENTION: RetentionPolicy = {
  closedSessionMs: 30 * DAY_MS,
  transcriptMs: 30 * DAY_MS,
  dedupeMs: 7 * DAY_MS,
  deadLetterMs: 90 * DAY_MS,
};

/** The environment variable (whole days) behind each retention. */
export const RETENTION_VARIABLES: Record<string, keyof RetentionPolicy> = {
  RETENTION_CLOSED_SESSION_DAYS: 'closedSessionMs',
  RETENTION_TRANSCRIPT_DAYS: 'transcriptMs',
  RETENTION_DEDUPE_DAYS: 'dedupeMs',
  RETENTION_DEAD_LETTER_DAYS: 'deadLetterMs',
};

export function retentionFromDays(vars: Record<string, string | undefined>): RetentionPolicy {
  const policy = { ...DEFAULT_RETENTION };
  for (const [name, field] of Object.entries(RETENTION_VARIABLES)) {
    const days = vars[name];
    if (days) policy[field] = Number(days) * DAY_MS;
  }
  return policy;
}
