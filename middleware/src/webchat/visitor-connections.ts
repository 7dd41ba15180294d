import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TranscriptEntry as LoggedEvent } from '../store/transcripts.js';
import type { ServerFrame } from './protocol.js';

export type { LoggedEvent };

/** The socket a connection writes to (a `ws` WebSocket in production, a fake in tests). */
export interface VisitorSocket {
  /** Bytes sent and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** Resolves once every frame sent so far left the process (or the socket closed). */
  written(): Promise<void>;
  send(frame: ServerFrame): void;
  readonly open: boolean;
  /** Gives up on a socket that does not read what it is sent. */
  dropStalled(): void;
}

export interface CatchUpLimits {
  /** Events read from the log at once. */
  pageEvents: number;
  /** No more events are sent while this many bytes wait in the socket's buffer; sending resumes once it drained. */
  sendBufferBytes: number;
  /** A socket whose buffer does not drain for this long is dropped. */
  stalledMs: number;
}

/** The next events after `afterSeq` from the visitor's transcript (see Transcripts.readPage). */
export type ReadPage = (afterSeq: number, page: { limit: number; maxBytes: number }) => Promise<LoggedEvent[]>;

export interface VisitorConnectionDeps {
  socket: VisitorSocket;
  read: ReadPage;
  limits: CatchUpLimits;
  /** The log could not be read while the socket was behind (the socket cannot catch up by itself). */
  onReadFailed: (error: unknown) => void;
  setTimer?: (run: () => void, ms: number) => { cancel(): void };
  /** Resolves on a later turn of the event loop (default: after pending I/O, setImmediate). */
  nextTurn?: () => Promise<unknown>;
}

/**
 * One open socket of a visitor. Every event is in the transcript before it is delivered
 * here, so the socket is fed from the log, a page at a time, whenever it is behind: on
 * `hello`, and whenever its send buffer is full. Live events are sent straight away only
 * when the socket is caught up and has room. Each event is sent once, in `seq` order, and
 * a socket that stops reading holds at most about `sendBufferBytes` of them.
 */
export class VisitorConnection {
  private sentSeq = 0;
  private started = false;
  private synced = false;
  private pumping = false;
  /** A live event arrived while the log was being read: read again before calling it done. */
  private deliveredWhileReading = false;
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  private readonly socket: VisitorSocket;
  private readonly setTimer: NonNullable<VisitorConnectionDeps['setTimer']>;

  constructor(private readonly deps: VisitorConnectionDeps) {
    this.socket = deps.socket;
    this.setTimer =
      deps.setTimer ??
      ((run, ms) => {
        const timer = setTimeout(run, ms);
        timer.unref();
        return { cancel: () => clearTimeout(timer) };
      });
  }

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
      const timer = this.setTimer(() => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        resolve();
      }, timeoutMs);
      waiter.resolve = () => {
        timer.cancel();
        resolve();
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends the history after `afterSeq`, page by page, then `synced`; resolves when done (or the socket is gone). */
  start(afterSeq: number): Promise<void> {
    this.sentSeq = afterSeq;
    this.started = true;
    return this.pump();
  }

  /** A live event (already in the log). */
  deliver(entry: LoggedEvent): void {
    // Before start, the first read of the log will find it.
    if (!this.started || entry.seq <= this.sentSeq) return;
    if (this.pumping) {
      this.deliveredWhileReading = true;
      return;
    }
    if (this.synced && this.socket.bufferedAmount < this.deps.limits.sendBufferBytes) return this.emit(entry);
    this.pump().catch(this.deps.onReadFailed);
  }

  /** Reads the log again from the last event sent, e.g. after the fan-out missed events (a dropped Redis subscription). */
  catchUp(): Promise<void> {
    return this.started ? this.pump() : Promise.resolve();
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.deliveredWhileReading = true;
      return;
    }
    this.pumping = true;
    const { limits } = this.deps;
    try {
      for (;;) {
        if (!this.socket.open) return;
        const room = limits.sendBufferBytes - this.socket.bufferedAmount;
        if (room <= 0) {
          if (!(await this.drained())) return;
          continue;
        }
        this.deliveredWhileReading = false;
        const page = await this.deps.read(this.sentSeq, { limit: limits.pageEvents, maxBytes: room });
        if (!this.socket.open) return;
        for (const entry of page) this.emit(entry);
        if (page.length === 0 && !this.deliveredWhileReading) break;
        // The kernel takes megabytes before bufferedAmount grows: without a turn of the event
        // loop between pages, one catch-up would hold up every request until it is done.
        await (this.deps.nextTurn ?? nextTurn)();
      }
      if (!this.synced) {
        this.synced = true;
        this.socket.send({ type: 'synced', seq: this.sentSeq });
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Waits until what was sent left the process; false when the socket was dropped for not reading it. */
  private async drained(): Promise<boolean> {
    let timer: { cancel(): void } | undefined;
    const stalled = new Promise<false>((resolve) => {
      timer = this.setTimer(() => resolve(false), this.deps.limits.stalledMs);
    });
    const drained = await Promise.race([this.socket.written().then(() => true as const), stalled]);
    timer?.cancel();
    if (!drained) this.socket.dropStalled();
    return drained;
  }

  private emit(entry: LoggedEvent): void {
    if (entry.seq <= this.sentSeq) return;
    this.sentSeq = entry.seq;
    this.socket.send({ type: 'event', seq: entry.seq, event: entry.event });
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
  async catchUp(): Promise<void> {
    await Promise.all([...this.byVisitor.values()].flatMap((set) => [...set].map((connection) => connection.catchUp())));
  }

  /** How many sockets the visitor has open here. */
  countOf(channelType: string, visitorId: string): number {
    return this.byVisitor.get(visitorKey(channelType, visitorId))?.size ?? 0;
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
