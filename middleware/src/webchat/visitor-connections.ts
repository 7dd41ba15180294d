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

  constructor(private readonly send: (frame: ServerFrame) => void) {}

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

  get size(): number {
    let total = 0;
    for (const set of this.byVisitor.values()) total += set.size;
    return total;
  }
}

function visitorKey(channelType: string, visitorId: string): string {
  return `${channelType}\u0000${visitorId}`;
}
