/**
 * The task attribute the plugin reads the customer's presence from (`src/presence/` in the
 * plugin); absent on messenger tasks, whose presence the middleware cannot know.
 */
export const CUSTOMER_PRESENCE_ATTRIBUTE = 'customerPresence';

/** Whether a web chat visitor has a socket open; what Flex's task list shows as the customer's presence. */
export type VisitorPresenceState = 'online' | 'offline';

export interface VisitorPresenceLimits {
  /** A change is written once it held this long: a reload or a short network drop writes nothing. */
  debounceMs: number;
  /** Writes per visitor in any hour; a change beyond it waits until the hour frees a write. */
  writesPerHour: number;
  /** Visitors followed at once; a new visitor beyond it is not followed, and their task keeps its last presence. */
  maxVisitors?: number;
}

export interface VisitorPresenceDeps {
  limits: VisitorPresenceLimits;
  /** Writes the presence where the agent sees it (the visitor's task); false when there is no task yet to write to. */
  write: (channelType: string, visitorId: string, presence: VisitorPresenceState) => Promise<boolean>;
  onWriteFailed: (error: unknown) => void;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => { cancel(): void };
}

const HOUR_MS = 3_600_000;
/** Visitors stay for an hour after their last socket: the bound keeps a flood of new visitors from growing memory. */
const DEFAULT_MAX_VISITORS = 100_000;

interface Visitor {
  sockets: number;
  /** What was last written. */
  written?: VisitorPresenceState;
  timer?: { cancel(): void };
  /** When each write of the last hour was made. */
  writes: number[];
}

/**
 * Follows each visitor's open sockets and writes their presence when it changed and held
 * for `debounceMs`, at most `writesPerHour` times an hour per visitor. A visitor is kept in
 * memory while connected, while a write is due, and for the hour its writes count against.
 */
export class VisitorPresence {
  private readonly visitors = new Map<string, Visitor>();
  private readonly now: () => number;
  private readonly setTimer: NonNullable<VisitorPresenceDeps['setTimer']>;

  constructor(private readonly deps: VisitorPresenceDeps) {
    this.now = deps.now ?? Date.now;
    this.setTimer =
      deps.setTimer ??
      ((run, ms) => {
        const timer = setTimeout(run, ms);
        timer.unref();
        return { cancel: () => clearTimeout(timer) };
      });
  }

  /** A socket of the visitor said hello. */
  connected(channelType: string, visitorId: string): void {
    const visitor = this.visitorOf(channelType, visitorId);
    if (!visitor) return;
    visitor.sockets += 1;
    if (visitor.sockets === 1) this.schedule(channelType, visitorId, visitor, this.deps.limits.debounceMs);
  }

  /** A socket of the visitor closed. */
  disconnected(channelType: string, visitorId: string): void {
    const visitor = this.visitors.get(key(channelType, visitorId));
    if (!visitor || visitor.sockets === 0) return;
    visitor.sockets -= 1;
    if (visitor.sockets === 0) this.schedule(channelType, visitorId, visitor, this.deps.limits.debounceMs);
  }

  /**
   * The visitor sent a message: their chat's task may exist by now (a bot hands the chat to
   * Flex after some messages), so a presence that found no task before is written.
   */
  active(channelType: string, visitorId: string): void {
    const visitor = this.visitors.get(key(channelType, visitorId));
    if (visitor && visitor.sockets > 0 && visitor.written !== 'online' && !visitor.timer) {
      this.schedule(channelType, visitorId, visitor, this.deps.limits.debounceMs);
    }
  }

  /** Drops what is kept about the visitor (their data is being erased); a pending write is not made. */
  forget(channelType: string, visitorId: string): void {
    const id = key(channelType, visitorId);
    this.visitors.get(id)?.timer?.cancel();
    this.visitors.delete(id);
  }

  /** Visitors kept in memory. */
  get size(): number {
    return this.visitors.size;
  }

  /** Cancels every pending write (the middleware is stopping). */
  close(): void {
    for (const visitor of this.visitors.values()) visitor.timer?.cancel();
    this.visitors.clear();
  }

  private visitorOf(channelType: string, visitorId: string): Visitor | undefined {
    const id = key(channelType, visitorId);
    let visitor = this.visitors.get(id);
    if (!visitor && this.visitors.size >= (this.deps.limits.maxVisitors ?? DEFAULT_MAX_VISITORS)) return undefined;
    if (!visitor) this.visitors.set(id, (visitor = { sockets: 0, writes: [] }));
    return visitor;
  }

  private schedule(channelType: string, visitorId: string, visitor: Visitor, ms: number): void {
    visitor.timer?.cancel();
    visitor.timer = this.setTimer(() => {
      visitor.timer = undefined;
      void this.settle(channelType, visitorId, visitor);
    }, ms);
  }

  private async settle(channelType: string, visitorId: string, visitor: Visitor): Promise<void> {
    if (this.visitors.get(key(channelType, visitorId)) !== visitor) return;
    const now = this.now();
    visitor.writes = visitor.writes.filter((at) => now - at < HOUR_MS);
    const presence: VisitorPresenceState = visitor.sockets > 0 ? 'online' : 'offline';
    if (presence !== visitor.written) {
      if (visitor.writes.length >= this.deps.limits.writesPerHour) {
        // Tried again when the oldest write of the hour stops counting.
        return this.schedule(channelType, visitorId, visitor, (visitor.writes[0] ?? now) + HOUR_MS - now);
      }
      visitor.writes.push(now);
      visitor.written = presence;
      try {
        if (!(await this.deps.write(channelType, visitorId, presence))) visitor.written = undefined;
      } catch (error) {
        visitor.written = undefined;
        this.deps.onWriteFailed(error);
      }
    }
    this.release(channelType, visitorId, visitor);
  }

  /** An idle visitor is kept only for the hour its writes count against. */
  private release(channelType: string, visitorId: string, visitor: Visitor): void {
    if (visitor.sockets > 0 || visitor.timer) return;
    const last = visitor.writes.at(-1);
    if (last === undefined) {
      this.visitors.delete(key(channelType, visitorId));
      return;
    }
    visitor.timer = this.setTimer(
      () => {
        visitor.timer = undefined;
        if (visitor.sockets === 0 && this.visitors.get(key(channelType, visitorId)) === visitor) this.visitors.delete(key(channelType, visitorId));
      },
      last + HOUR_MS - this.now(),
    );
  }
}

function key(channelType: string, visitorId: string): string {
  return `${channelType}\u0000${visitorId}`;
}
