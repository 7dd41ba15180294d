import type { Logger } from '../observability/logger.js';
import type { LogHasher } from '../observability/log-hash.js';
import type { Store } from '../store/store.js';
import type { ReadHorizons } from './read-horizons.js';

/**
 * At most one Twilio write per customer per interval: far under the 30 writes a second
 * Twilio allows on one conversation, however fast a channel reports reads.
 */
export const READ_WRITE_INTERVAL_MS = 1000;

export interface ReadCoalescerDeps {
  store: Pick<Store, 'findActiveSession'>;
  horizons: ReadHorizons;
  logger: Logger;
  /** Stands in for customer and visitor ids in log lines. */
  hashForLog: LogHasher;
  intervalMs?: number;
}

interface Slot {
  channelType: string;
  customerId: string;
  /** The latest message the customer has seen that is not written yet. */
  pending?: string;
  writing?: Promise<void>;
  timer?: NodeJS.Timeout;
}

/**
 * The customer's reads on their way to Twilio. The first read of a customer is written at
 * once; reads within the next interval are folded into one write of the latest when it
 * ends. Reads are best effort and apart from messages: a write that fails is logged and
 * dropped (the next read carries the horizon further), and none of it waits in the outbox.
 */
export function createReadCoalescer(deps: ReadCoalescerDeps) {
  const intervalMs = deps.intervalMs ?? READ_WRITE_INTERVAL_MS;
  const slots = new Map<string, Slot>();
  let closed = false;

  const write = async (slot: Slot, upTo: string): Promise<void> => {
    try {
      const session = await deps.store.findActiveSession(slot.channelType, slot.customerId);
      if (session?.state !== 'open') return;
      await deps.horizons.markReadByCustomer(session, upTo);
    } catch (error) {
      deps.logger.warn({ err: error, channel: slot.channelType, customer: deps.hashForLog(slot.customerId) }, 'read receipt not written to Twilio');
    }
  };

  const flush = (key: string, slot: Slot): void => {
    const upTo = slot.pending;
    slot.pending = undefined;
    if (upTo !== undefined) slot.writing = write(slot, upTo).finally(() => (slot.writing = undefined));
    slot.timer = setTimeout(() => endOfInterval(key, slot), intervalMs);
    slot.timer.unref();
  };

  const endOfInterval = (key: string, slot: Slot): void => {
    slot.timer = undefined;
    if (closed) return;
    // A write still running holds the next one back by another interval.
    if (slot.writing) void slot.writing.then(() => endOfInterval(key, slot));
    else if (slot.pending !== undefined) flush(key, slot);
    else slots.delete(key);
  };

  return {
    /** Takes a read; the customer's messages are unaffected. */
    accept(channelType: string, customerId: string, upTo: string): void {
      if (closed) return;
      const key = JSON.stringify([channelType, customerId]);
      const slot = slots.get(key);
      if (slot) {
        slot.pending = upTo;
        return;
      }
      const fresh: Slot = { channelType, customerId, pending: upTo };
      slots.set(key, fresh);
      flush(key, fresh);
    },
    /** Waits for the writes under way and drops the reads not written yet. */
    async close(): Promise<void> {
      closed = true;
      for (const slot of slots.values()) clearTimeout(slot.timer);
      await Promise.all([...slots.values()].map((slot) => slot.writing));
      slots.clear();
    },
  };
}

export type ReadCoalescer = ReturnType<typeof createReadCoalescer>;
