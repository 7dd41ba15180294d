import { setMaxListeners } from 'node:events';
import { safeErrorMessage } from '@custom-channels/logging';
import type { Logger } from '../observability/logger.js';
import type { OutboxEntry, OutboxItem, OutboxQueue, QueueOptions, Store } from '../store/store.js';
import { DEFAULT_CONCURRENCY, DEFAULT_LEASE_MS, type RetryPolicy } from '../config/outbox-settings.js';
import { whenAborted } from '../lifecycle/shutdown.js';
import { nextStep } from './backoff.js';
import { transient, type Failure } from './failure.js';
import type { PayloadReader } from './payload-reader.js';
import { setBounded } from '../shared/bounded-map.js';

/** A handler's answer: done, or the Failure `nextStep` turns into a retry or a parked entry. */
export type HandlingOutcome = { kind: 'done' } | Failure;

const THROTTLED_ENTRIES_REMEMBERED = 10_000;

/** Asks a queue's worker to look now rather than at its next poll, after a write that queued something without it. */
export type WakeWorker = (queue: OutboxQueue) => void;

/**
 * How producers queue an entry: through its queue's worker (`OutboxWorker.queueEntry`), which
 * may take it up in the same write (see `Store.enqueueAndClaim` and `QueueOptions`). Resolves
 * once the entry is written: whether it was queued (false for a duplicate, or for a session no
 * longer stored under `whileSessionStored`, as `Store.enqueue`).
 */
export type QueueEntry = (entry: OutboxEntry, dedupeKeys?: string[], options?: QueueOptions) => Promise<boolean>;

/** What the worker offers a handler besides the entry. */
export interface HandlingContext {
  /**
   * Gives the entry's slot back while the entry stays claimed (still the head of its key, its
   * lease renewed), so other keys' entries are taken up meanwhile: for work with limits of
   * its own, such as attachment downloads.
   */
  releaseSlot(): void;
  /** Aborted when the worker stops: work still waiting for its turn gives up and is retried. */
  stopping: AbortSignal;
}

export type OutboxHandler<Payload> = (item: OutboxItem<Payload>, context: HandlingContext) => Promise<HandlingOutcome>;

/** The timers behind the poll and the wake-ups for retries; tests pass ones they fire by hand. */
export interface WorkerTimers {
  /** Calls `fire` once after `delayMs`. */
  once(delayMs: number, fire: () => void): void;
  /** Calls `fire` every `intervalMs`; the result stops it. */
  every(intervalMs: number, fire: () => void): () => void;
}

/** Neither keeps the process alive: `stop()` and the server's close decide when it ends. */
const unrefTimers: WorkerTimers = {
  once: (delayMs, fire) => void setTimeout(fire, delayMs).unref(),
  every: (intervalMs, fire) => {
    const timer = setInterval(fire, intervalMs).unref();
    return () => clearInterval(timer);
  },
};

export interface OutboxWorkerOptions<Payload> {
  store: Store;
  queue: OutboxQueue;
  /** Checks each stored payload before `handle` sees it; one it cannot read is parked at once. */
  readPayload: PayloadReader<Payload>;
  handle: OutboxHandler<Payload>;
  retryPolicy: RetryPolicy;
  logger: Logger;
  /** Entries (of different ordering keys) handled at once, besides those that released their slot. */
  concurrency?: number;
  /** How often due retries are looked for when nothing nudges the worker. */
  pollIntervalMs?: number;
  /**
   * How long a claim lasts without renewal. While an entry is being handled its lease is
   * renewed every third of this (a heartbeat), so an attempt may take as long as it needs;
   * after a crash (kill -9) its entries are handed out again once this has passed.
   */
  leaseMs?: number;
  /** The wall clock due times are set and claimed by. */
  now?: () => number;
  timers?: WorkerTimers;
  /** Told each recorded outcome (for metrics): the queue, the entry and how its attempt ended. */
  observe?: (queue: OutboxQueue, item: OutboxItem, outcome: HandlingOutcome['kind']) => void;
  /** Runs each attempt, e.g. inside a span that continues the entry's trace (observability/tracing.ts). */
  traceAttempt?: (queue: OutboxQueue, item: OutboxItem, attempt: () => Promise<HandlingOutcome>) => Promise<HandlingOutcome>;
}

/**
 * Drains one outbox queue: entries of one ordering key strictly one after the other and
 * oldest first, different keys in parallel; failures retried with backoff; an entry is
 * removed only once handled.
 */
export class OutboxWorker<Payload> {
  private readonly inFlight = new Set<Promise<void>>();
  /** The entries being handled, by id, with their heartbeats: what a stop past its deadline releases. */
  private readonly inHand = new Map<number, { item: OutboxItem; lease: { stop(): Promise<void> } }>();
  /** Entries released by a late stop: whoever claims them next records their outcome, not this worker. */
  private readonly released = new Set<number>();
  /** Entries in hand that hold a slot: `inFlight` less those whose handler released theirs. */
  private slotsTaken = 0;
  private stopping = new AbortController();
  /**
   * Throttled attempts of entries this instance retried, by id: they neither double the backoff
   * of a later real failure nor use up the entry's attempts. Process-local (an instance that
   * takes an entry over counts them as failures, as the store does); capped for memory.
   */
  private readonly throttled = new Map<number, number>();
  private stopPolling: (() => void) | undefined;
  private pumping = false;
  private pumpAgain = false;
  private nudged = false;
  /**
   * Whether the next claim searches the whole queue (a poll, a retry falling due) rather than
   * only where this instance's own writes made entries due (a nudge after queuing or handling).
   */
  private lookEverywhere = true;
  private stopped = true;

  constructor(private readonly options: OutboxWorkerOptions<Payload>) {}

  get queue(): OutboxQueue {
    return this.options.queue;
  }

  start(): void {
    this.stopped = false;
    this.stopping = new AbortController();
    // Every entry waiting for a turn of its own listens to it: as many as the pools let wait.
    setMaxListeners(0, this.stopping.signal);
    this.stopPolling = this.timers.every(this.options.pollIntervalMs ?? 250, () => this.nudgeEverywhere());
    this.nudgeEverywhere();
  }

  /**
   * Looks for due entries on the next turn of the event loop, e.g. right after one was queued
   * or handled: the nudges of one turn (many completions at once under load) share one claim.
   */
  nudge(): void {
    if (this.nudged) return;
    this.nudged = true;
    setImmediate(() => {
      this.nudged = false;
      void this.pump().catch((error: unknown) => this.options.logger.error({ err: error, queue: this.options.queue }, 'outbox poll failed'));
    });
  }

  /**
   * Queues an entry of this worker's queue. With a slot free, the store leases the entry in
   * the same write when it is the head of its key, and it is handled at once, without a claim
   * of its own; otherwise it is queued as by `Store.enqueue` and the worker nudged. Resolves
   * (or rejects, as the store did) once the write is done, not the handling.
   */
  async queueEntry(entry: OutboxEntry, dedupeKeys: string[] = [], options: QueueOptions = {}): Promise<boolean> {
    const { store } = this.options;
    if (this.stopped || this.freeSlots <= 0) {
      const queued = await store.enqueue(entry, dedupeKeys, options);
      if (queued) this.nudge();
      return queued;
    }
    // Reserved for the round trip, so that a claim meanwhile cannot take more than there are.
    this.slotsTaken += 1;
    const writing = store.enqueueAndClaim(entry, dedupeKeys, this.now(), this.leaseMs, options);
    // Tracked like an entry in hand, so stop() waits for the write: a claim it brings back after
    // the stop began is released at once, not left leased. Its end nudges the worker, which
    // takes up an entry queued but not claimed.
    this.track(
      writing.then(
        ({ claimed }) => {
          this.slotsTaken -= 1;
          if (!claimed) return undefined;
          return this.stopped ? this.release(claimed, 'released: the instance stopped before the attempt') : this.process(claimed);
        },
        () => {
          this.slotsTaken -= 1;
        },
      ),
    );
    return (await writing).queued;
  }

  private get freeSlots(): number {
    return (this.options.concurrency ?? DEFAULT_CONCURRENCY) - this.slotsTaken;
  }

  /** Looks for due entries anywhere in the queue: other instances' too, expired leases, retries. */
  private nudgeEverywhere(): void {
    this.lookEverywhere = true;
    this.nudge();
  }

  /**
   * Looks again when a retry falls due, rather than up to a poll interval later. Timers run on
   * the monotonic clock and due times on the wall clock, so a timer may fire while `now()` is
   * still short of the due time: it is armed again for the rest, or the claim would find
   * nothing due and the entry would wait for the next poll.
   */
  private wakeAt(dueAt: number): void {
    if (this.stopped) return;
    const remainingMs = dueAt - this.now();
    if (remainingMs > 0) this.timers.once(remainingMs, () => this.wakeAt(dueAt));
    else this.nudgeEverywhere();
  }

  /**
   * Stops claiming and waits for the entries in hand. Those still in hand when `deadline`
   * aborts are released, due at once, so another instance takes them up at its next look
   * rather than once their lease runs out; what their attempt does after is not recorded.
   */
  async stop(deadline?: AbortSignal): Promise<void> {
    this.stopped = true;
    this.stopPolling?.();
    this.stopping.abort();
    const finished = (async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      return true;
    })();
    const late = deadline ? whenAborted(deadline).then(() => false) : new Promise<boolean>(() => undefined);
    if (!(await Promise.race([finished, late]))) await this.releaseInHand();
  }

  private async releaseInHand(): Promise<void> {
    const { logger, queue } = this.options;
    const entries = [...this.inHand.values()];
    for (const { item } of entries) this.released.add(item.id);
    await Promise.all(
      entries.map(async ({ item, lease }) => {
        await lease.stop();
        await this.release(item, 'released: the instance stopped during the attempt');
      }),
    );
    if (entries.length > 0) logger.warn({ queue, entries: entries.length }, 'outbox entries still in hand at the stop deadline released to other instances');
  }

  /** Gives a claimed entry back, due at once, so that another instance takes it up at its next look. */
  private async release(item: OutboxItem, reason: string): Promise<void> {
    const { store, logger, queue } = this.options;
    try {
      await store.retryLater(item.id, this.now(), reason);
    } catch (error) {
      // Its lease runs out and it is taken up then; nothing is lost.
      logger.error({ err: error, queue, entryId: item.id }, 'could not release an outbox entry');
    }
  }

  private async pump(): Promise<void> {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const free = this.freeSlots;
        if (free <= 0 || this.stopped) break;
        const now = this.now();
        const scope = this.lookEverywhere ? 'all' : 'touched';
        this.lookEverywhere = false;
        const items = await this.options.store.claimDue(this.options.queue, now, free, this.leaseMs, scope).catch((error: unknown) => {
          if (scope === 'all') this.lookEverywhere = true;
          throw error;
        });
        for (const item of items) this.track(this.process(item));
        if (items.length === free) this.pumpAgain = true;
      } while (this.pumpAgain && !this.stopped);
    } finally {
      this.pumping = false;
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.nudge();
    });
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private get timers(): WorkerTimers {
    return this.options.timers ?? unrefTimers;
  }

  /** Renews the entry's lease until stopped; `lost()` tells whether another claim took it over. */
  private heartbeat(item: OutboxItem): { stop(): Promise<void>; lost(): boolean } {
    const { store, logger, queue } = this.options;
    let lost = false;
    // Conservative: the claim was made a moment before this started.
    let heldUntil = this.now() + this.leaseMs;
    const renew = async () => {
      if (lost) return;
      try {
        const until = this.now() + this.leaseMs;
        lost = !(await store.renewLease(item.id, item.attempts, until));
        if (lost) logger.warn({ queue, entryId: item.id, attempts: item.attempts }, 'outbox lease lost: another worker took the entry over');
        else heldUntil = until;
      } catch (error) {
        // The store did not answer: try again on the next beat, while the lease still runs.
        logger.warn({ err: error, queue, entryId: item.id }, 'could not renew an outbox lease');
      }
    };
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        renewing = renewing.then(renew);
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    return {
      stop: async () => {
        clearInterval(timer);
        await renewing;
        // After a stall longer than the lease (a blocked event loop, a suspended VM), make
        // sure the entry is still ours before recording anything.
        if (!lost && this.now() >= heldUntil) await renew();
      },
      lost: () => lost,
    };
  }

  private countThrottled(id: number, count: number): void {
    setBounded(this.throttled, id, count, THROTTLED_ENTRIES_REMEMBERED);
  }

  /** An entry whose payload this build cannot read (written by another version) would fail every attempt. */
  private async handleReadable(item: OutboxItem, context: HandlingContext): Promise<HandlingOutcome> {
    const reading = this.options.readPayload(item.payload);
    if (!reading.ok) return { kind: 'permanent', reason: `unreadable: ${reading.problem}` };
    return this.options.handle({ ...item, payload: reading.payload }, context);
  }

  /** Holds a slot from the claim until the handler releases it or the outcome is recorded. */
  private process(item: OutboxItem): Promise<void> {
    this.slotsTaken += 1;
    let holding = true;
    const releaseSlot = () => {
      if (!holding) return;
      holding = false;
      this.slotsTaken -= 1;
      this.nudge();
    };
    return this.attempt(item, { releaseSlot, stopping: this.stopping.signal }).finally(releaseSlot);
  }

  private async attempt(item: OutboxItem, context: HandlingContext): Promise<void> {
    const { store, logger, retryPolicy, queue } = this.options;
    let outcome: HandlingOutcome;
    const lease = this.heartbeat(item);
    this.inHand.set(item.id, { item, lease });
    try {
      const attempt = () => this.handleReadable(item, context);
      outcome = await (this.options.traceAttempt ? this.options.traceAttempt(queue, item, attempt) : attempt());
    } catch (error) {
      outcome = transient(safeErrorMessage(error));
    } finally {
      this.inHand.delete(item.id);
    }
    if (this.released.delete(item.id)) return;
    await lease.stop();
    if (lease.lost()) {
      // Whoever holds the entry now records its outcome; a done attempt is found by its retry.
      logger.warn({ queue, entryId: item.id, outcome: outcome.kind }, 'outcome of an outbox entry not recorded: its lease was lost');
      return;
    }
    this.options.observe?.(queue, item, outcome.kind);
    const throttledBefore = this.throttled.get(item.id) ?? 0;
    const step = outcome.kind === 'done' ? undefined : nextStep(outcome, { attempts: item.attempts, throttled: throttledBefore }, retryPolicy);
    if (step?.retryInMs === undefined) this.throttled.delete(item.id);
    try {
      if (outcome.kind === 'done' || !step) {
        await store.complete(item.id);
      } else if (step.giveUp !== undefined) {
        logger.error({ queue, entryId: item.id, attempts: item.attempts, reason: step.giveUp }, 'outbox entry failed permanently');
        await store.markFailed(item.id, step.giveUp);
      } else {
        if (step.throttled) this.countThrottled(item.id, throttledBefore + 1);
        logger.warn({ queue, entryId: item.id, attempts: item.attempts, delayMs: step.retryInMs, reason: outcome.reason }, 'outbox entry will be retried');
        const dueAt = this.now() + step.retryInMs;
        await store.retryLater(item.id, dueAt, outcome.reason);
        this.wakeAt(dueAt);
      }
    } catch (error) {
      // The lease expires and the entry is tried again; nothing is lost.
      logger.error({ err: error, queue, entryId: item.id }, 'could not record the outcome of an outbox entry');
    }
  }
}
