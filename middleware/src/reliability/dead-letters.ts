import type { LogHasher } from '../observability/log-hash.js';
import { OUTBOX_QUEUES, type DeadLetter, type OutboxQueue, type Store } from '../store/store.js';

/**
 * Dead letters as an admin sees them (CLI and GET /admin/dead-letters): what failed, why,
 * how often it was tried and how old it is. No message bodies and no customer ids unless
 * asked for: the ordering key (which names the customer or session) appears as the same
 * 12-hex keyed hash the logs use (LOG_HASH_KEY), so lines can still be correlated.
 */
export interface DeadLetterView {
  id: number;
  queue: OutboxQueue;
  channelType?: string;
  /** `message` or `ended` for deliveries to the channel; `message` for messages to Flex. */
  type?: string;
  /** Hash of the ordering key (the customer for `to-flex`, the session for `to-channel`). */
  key: string;
  reason: string;
  attempts: number;
  createdAt: string;
  failedAt?: string;
  /** Seconds since the entry was first queued. */
  ageSeconds: number;
  /** Only with `includePayload`: the entry as queued, personal data included. */
  payload?: unknown;
}

export interface DeadLetterListOptions {
  queue?: OutboxQueue;
  limit?: number;
  afterId?: number;
  includePayload?: boolean;
  now?: number;
}

export function isQueue(value: unknown): value is OutboxQueue {
  return typeof value === 'string' && (OUTBOX_QUEUES as readonly string[]).includes(value);
}

export function viewDeadLetter(letter: DeadLetter, hashForLog: LogHasher, now: number, includePayload = false): DeadLetterView {
  const payload = (letter.payload ?? {}) as { channelType?: unknown; event?: { type?: unknown } };
  return {
    id: letter.id,
    queue: letter.queue,
    ...(typeof payload.channelType === 'string' ? { channelType: payload.channelType } : {}),
    type: letter.queue === 'to-channel' && typeof payload.event?.type === 'string' ? payload.event.type : 'message',
    key: hashForLog(letter.orderingKey),
    reason: letter.reason,
    attempts: letter.attempts,
    createdAt: new Date(letter.createdAt).toISOString(),
    ...(letter.failedAt !== undefined ? { failedAt: new Date(letter.failedAt).toISOString() } : {}),
    ageSeconds: Math.max(0, Math.round((now - letter.createdAt) / 1000)),
    ...(includePayload ? { payload: letter.payload } : {}),
  };
}

export async function listDeadLetters(store: Store, hashForLog: LogHasher, options: DeadLetterListOptions = {}): Promise<DeadLetterView[]> {
  const letters = await store.listDeadLetters({
    queue: options.queue,
    limit: options.limit ?? 100,
    afterId: options.afterId,
  });
  const now = options.now ?? Date.now();
  return letters.map((letter) => viewDeadLetter(letter, hashForLog, now, options.includePayload));
}

export interface RetriedDeadLetter {
  id: number;
  queue: OutboxQueue;
  /** The id it is queued under now. */
  newId: number;
}

/** Puts one dead letter back in its queue; undefined when there is no such dead letter. */
export async function retryDeadLetter(store: Store, id: number): Promise<RetriedDeadLetter | undefined> {
  const [letter] = await store.listDeadLetters({ afterId: id - 1, limit: 1 });
  if (!letter || letter.id !== id) return undefined;
  const newId = await store.retryDeadLetter(id);
  return newId === undefined ? undefined : { id, queue: letter.queue, newId };
}

/** Puts every dead letter (of one queue, or all) back, oldest first. */
export async function retryAllDeadLetters(store: Store, queue?: OutboxQueue): Promise<RetriedDeadLetter[]> {
  const retried: RetriedDeadLetter[] = [];
  // Snapshot first: retried entries may fail again and come back under new ids while this runs.
  const letters: DeadLetter[] = [];
  for (let afterId = 0; ;) {
    const page = await store.listDeadLetters({ queue, afterId, limit: 500 });
    letters.push(...page);
    if (page.length < 500) break;
    afterId = page[page.length - 1]!.id;
  }
  for (const letter of letters) {
    const newId = await store.retryDeadLetter(letter.id);
    if (newId !== undefined) retried.push({ id: letter.id, queue: letter.queue, newId });
  }
  return retried;
}
