import type { VisitorEvent } from '../../src/webchat/protocol.js';

/** The visitor's events as the middleware numbered them (1, 2, 3...), possibly with gaps while catching up. */
export class Transcript {
  private readonly events = new Map<number, VisitorEvent>();
  lastSeq = 0;

  add(seq: number, event: VisitorEvent): void {
    if (seq > this.lastSeq) this.lastSeq = seq;
    this.events.set(seq, event);
  }

  /** Drops everything: it belonged to another visitor, or its numbers to another log. */
  clear(): void {
    this.events.clear();
    this.lastSeq = 0;
  }

  inOrder(): Array<[number, VisitorEvent]> {
    return [...this.events].sort(([a], [b]) => a - b);
  }

  /** The seq of the visitor's latest message the agent has read (0 for none). */
  readHorizon(): number {
    const seqOfMessage = new Map<string, number>();
    let upTo = 0;
    for (const [seq, event] of this.inOrder()) {
      if (event.kind === 'visitor-message') seqOfMessage.set(event.id, seq);
      else if (event.kind === 'read') upTo = Math.max(upTo, seqOfMessage.get(event.upTo) ?? 0);
    }
    return upTo;
  }
}
