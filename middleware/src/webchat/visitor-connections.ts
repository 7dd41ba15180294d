import type { ServerFrame, VisitorEvent } from './protocol.js';

export interface LoggedEvent {
  seq: number;
  event: VisitorEvent;
}

/**
 * One open socket of a visitor. While it catches up on history it buffers live events,
 * so an event logged during the catch-up is neither lost nor sent twice: every event is
 * sent once, in `seq` order.
 */
export class VisitorConnection {
  private sentSeq = 0;
  private syncing = true;
  private buffer: LoggedEvent[] = [];
  private waiters: Array<{ seq: number; resolve: () => void }> = [];

  constructor(private readonly send: (frame: ServerFrame) => void) {}

  /** The highest `seq` sent to this socket. */
  get lastSentSeq(): number {
    return this.sentSeq;
  }

  /**
   * Resolves once event `seq` was sent to this socket (at most after `timeoutMs`), so an
   * ack can follow its event when events travel through another process (Redis pub/sub).
   */
  sent(seq: number, timeoutMs: number): Promise<void> {
    if (seq <= this.sentSeq) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { seq, resolve };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        resolve();
      }, timeoutMs);
      timer.unref();
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(waiter);
    });
  }

  deliver(entry: LoggedEvent): void {
    if (this.syncing) this.buffer.push(entry);
    else this.emit(entry);
  }

  /** Sends the history read after attaching, then what arrived meanwhile, then `synced`. */
  finishSync(history: LoggedEvent[], afterSeq: number): void {
    this.sentSeq = afterSeq;
    const pending = [...history, ...this.buffer].sort((a, b) => a.seq - b.seq);
    this.buffer = [];
    for (const entry of pending) this.emit(entry);
    this.syncing = false;
    this.send({ type: 'synced', seq: this.sentSeq });
  }

  private emit(entry: LoggedEvent): void {
    if (entry.seq <= this.sentSeq) return;
    this.sentSeq = entry.seq;
    this.send({ type: 'event', seq: entry.seq, event: entry.event });
    if (this.waiters.length > 0) {
      const done = this.waiters.filter((waiter) => waiter.seq <= this.sentSeq);
      this.waiters = this.waiters.filter((waiter) => waiter.seq > this.sentSeq);
      for (const waiter of done) waiter.resolve();
    }
  }
}

/** The open sockets of each visitor (a visitor may have several tabs open). */
export class VisitorConnections {
  private readonly byVisitor = new Map<string, Set<VisitorConnection>>();

  attach(channelType: string, visitorId: string, connection: VisitorConnection): () => void {
    const key = visitorKey(channelType, visitorId);
    let set = this.byVisitor.get(key);
    if (!set) this.byVisitor.set(key, (set = new Set()));
    set.add(connection);
    return () => {
      set.delete(connection);
      if (set.size === 0 && this.byVisitor.get(key) === set) this.byVisitor.delete(key);
    };
  }

  publish(channelType: string, visitorId: string, entry: LoggedEvent): number {
    const set = this.byVisitor.get(visitorKey(channelType, visitorId));
    for (const connection of set ?? []) connection.deliver(entry);
    return set?.size ?? 0;
  }

  /**
   * Catches every open socket up from the log, e.g. after the fan-out missed events (a
   * dropped Redis subscription). Sockets skip what they already sent.
   */
  async catchUp(read: (channelType: string, visitorId: string, afterSeq: number) => Promise<LoggedEvent[]>): Promise<void> {
    for (const [key, set] of [...this.byVisitor]) {
      const [channelType, visitorId] = key.split('\u0000') as [string, string];
      const after = Math.min(...[...set].map((connection) => connection.lastSentSeq));
      for (const entry of await read(channelType, visitorId, after)) {
        for (const connection of set) connection.deliver(entry);
      }
    }
  }

  get size(): number {
    let total = 0;
    for (const set of this.byVisitor.values()) total += set.size;
    return total;
  }
}

function visitorKey(channelType: string, visitorId: string): string {
  return `${channelType}\u0000${visitorId}`;
}
