/**
 * A visitor's socket catching up from the transcript: page by page, never more than the
 * send buffer ahead of what the socket has written, each event once and in order.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerFrame } from '../../src/webchat/protocol.js';
import { type CatchUpLimits, type LoggedEvent, VisitorConnection, type VisitorSocket } from '../../src/webchat/visitor-connections.js';

const event = (seq: number, size = 10): LoggedEvent => ({
  seq,
  event: { kind: 'agent-message', id: `m${seq}`, text: 'x'.repeat(size), at: 0 },
});

/** A socket whose buffer empties only when the test says so; timers fire only when the test says so. */
function harness(log: LoggedEvent[], limits: CatchUpLimits, nextTurn: () => Promise<unknown> = async () => undefined) {
  const frames: ServerFrame[] = [];
  let buffered = 0;
  let flush: Array<() => void> = [];
  const reads: Array<{ afterSeq: number; returned: number }> = [];
  const timers: Array<{ run: () => void; cancelled: boolean }> = [];
  const state = { open: true, dropped: false };
  const socket: VisitorSocket = {
    get bufferedAmount() {
      return buffered;
    },
    get open() {
      return state.open;
    },
    written: () => new Promise<void>((resolve) => flush.push(resolve)),
    send(frame) {
      frames.push(frame);
      buffered += JSON.stringify(frame).length;
    },
    dropStalled() {
      state.dropped = true;
      state.open = false;
    },
  };
  const connection = new VisitorConnection({
    socket,
    limits,
    read: async (afterSeq, page) => {
      const entries = [];
      let bytes = 0;
      for (const entry of log.filter((e) => e.seq > afterSeq).slice(0, page.limit)) {
        entries.push(entry);
        bytes += JSON.stringify(entry.event).length;
        if (bytes >= page.maxBytes) break;
      }
      reads.push({ afterSeq, returned: entries.length });
      return entries;
    },
    onReadFailed: (error) => assert.fail(String(error)),
    nextTurn,
    setTimer: (run) => {
      const timer = { run, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
  });
  return {
    connection,
    frames,
    reads,
    state,
    get buffered() {
      return buffered;
    },
    /** The peer read everything sent so far. */
    async drain() {
      buffered = 0;
      const waiting = flush;
      flush = [];
      for (const resolve of waiting) resolve();
      await settle();
    },
    /** Fires the pending stall timers. */
    async stall() {
      for (const timer of timers.splice(0)) if (!timer.cancelled) timer.run();
      await settle();
    },
    seqs: () => frames.map((frame) => (frame.type === 'event' ? frame.seq : frame.type)),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('a visitor socket catching up', () => {
  test('a socket that does not read is sent about its buffer of history, the log is read no further, and it is dropped', async () => {
    const log = Array.from({ length: 1000 }, (_, index) => event(index + 1, 1000));
    const h = harness(log, { pageEvents: 50, sendBufferBytes: 10_000, stalledMs: 30_000 });
    const done = h.connection.start(0);
    await settle();
    const eventSize = JSON.stringify({ type: 'event', ...log[0] }).length;
    assert.ok(h.buffered <= 10_000 + eventSize, `buffered ${h.buffered}`);
    assert.equal(h.frames.length, 10, 'ten 1 KB events fill a 10 KB buffer');
    assert.deepEqual(
      h.reads.map((read) => read.returned),
      [10],
      'one page, no larger than the room in the buffer',
    );

    await h.stall();
    await done;
    assert.equal(h.state.dropped, true);
    assert.equal(h.frames.length, 10, 'nothing more after the drop');
    assert.equal(h.reads.length, 1);
  });

  test('resumes as the socket drains: every event once, in order, also those logged meanwhile, then synced, then live', async () => {
    const log = Array.from({ length: 30 }, (_, index) => event(index + 1, 100));
    const h = harness(log, { pageEvents: 4, sendBufferBytes: 1000, stalledMs: 30_000 });
    const done = h.connection.start(5);
    await settle();
    // Logged and delivered live while the socket is behind: read from the log in turn.
    log.push(event(31, 100));
    h.connection.deliver(log.at(-1)!);
    while (!h.frames.some((frame) => frame.type === 'synced')) {
      assert.ok(h.buffered <= 1000 + 200);
      await h.drain();
    }
    await done;
    h.connection.deliver(event(31, 100)); // a redelivery
    h.connection.deliver(event(32, 100));
    assert.deepEqual(h.seqs(), [...Array.from({ length: 26 }, (_, index) => index + 6), 'synced', 32]);
    assert.ok(h.reads.every((read) => read.returned <= 4));
  });

  test('a live event for a socket with a full buffer waits in the log until the socket drains', async () => {
    const log = [event(1)];
    const h = harness(log, { pageEvents: 50, sendBufferBytes: 1000, stalledMs: 30_000 });
    await h.connection.start(0);
    assert.deepEqual(h.seqs(), [1, 'synced']);
    log.push(event(2, 2000));
    h.connection.deliver(log.at(-1)!);
    log.push(event(3));
    h.connection.deliver(log.at(-1)!);
    assert.deepEqual(h.seqs(), [1, 'synced', 2], 'the buffer is now full');
    await settle();
    assert.deepEqual(h.seqs(), [1, 'synced', 2]);
    await h.drain();
    assert.deepEqual(h.seqs(), [1, 'synced', 2, 3]);
  });

  test('events delivered before and during the first read are sent once, in order', async () => {
    const log = [event(3), event(4), event(5)];
    const h = harness(log, { pageEvents: 50, sendBufferBytes: 100_000, stalledMs: 30_000 });
    h.connection.deliver(event(5)); // logged while the socket said hello
    const done = h.connection.start(2);
    h.connection.deliver(event(4));
    log.push(event(6));
    h.connection.deliver(event(6));
    await done;
    h.connection.deliver(event(5));
    h.connection.deliver(event(7));
    assert.deepEqual(h.seqs(), [3, 4, 5, 6, 'synced', 7]);
  });

  test('a socket the kernel keeps taking from gets one page per turn of the event loop, so other work runs between pages', async () => {
    const log = Array.from({ length: 200 }, (_, index) => event(index + 1));
    const turns: Array<() => void> = [];
    const h = harness(log, { pageEvents: 50, sendBufferBytes: 100_000, stalledMs: 30_000 }, () => new Promise<void>((resolve) => turns.push(resolve)));
    const done = h.connection.start(0);
    for (let page = 1; page <= 4; page += 1) {
      await settle();
      assert.equal(h.frames.length, page * 50, `page ${page}, then the event loop's turn`);
      assert.equal(turns.length, 1);
      turns.shift()!();
    }
    await done;
    assert.equal(h.frames.at(-1)?.type, 'synced');
  });
});
