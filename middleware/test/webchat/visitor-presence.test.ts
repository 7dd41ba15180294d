import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VisitorPresence, type VisitorPresenceLimits, type VisitorPresenceState } from '../../src/webchat/visitor-presence.js';

/** A clock and timers the test moves by hand. */
function manualTime() {
  let now = 0;
  let timers: Array<{ at: number; run: () => void }> = [];
  return {
    now: () => now,
    setTimer: (run: () => void, ms: number) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return { cancel: () => (timers = timers.filter((other) => other !== timer)) };
    },
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const next = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers = timers.filter((timer) => timer !== next);
        now = next.at;
        next.run();
        // The write is awaited inside: let it settle before the next timer.
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = until;
    },
    get pending() {
      return timers.length;
    },
  };
}

function tracker(limits: VisitorPresenceLimits = { debounceMs: 5000, writesPerHour: 4 }) {
  const time = manualTime();
  const writes: Array<[string, string, VisitorPresenceState]> = [];
  const failures: unknown[] = [];
  let failNext = false;
  let noTask = false;
  const presence = new VisitorPresence({
    limits,
    now: time.now,
    setTimer: time.setTimer,
    write: async (channelType, visitorId, state) => {
      if (failNext) {
        failNext = false;
        throw new Error('Twilio is down');
      }
      if (noTask) return false;
      writes.push([channelType, visitorId, state]);
      return true;
    },
    onWriteFailed: (error) => failures.push(error),
  });
  return { presence, time, writes, failures, failNextWrite: () => (failNext = true), taskExists: (exists: boolean) => (noTask = !exists) };
}

test('a visitor who connects is written online once the debounce has passed, and offline after their last socket closed', async () => {
  const { presence, time, writes } = tracker();
  presence.connected('webchat', 'v1');
  await time.advance(4999);
  assert.deepEqual(writes, []);
  await time.advance(1);
  assert.deepEqual(writes, [['webchat', 'v1', 'online']]);

  presence.connected('webchat', 'v1'); // a second tab
  presence.disconnected('webchat', 'v1');
  await time.advance(10_000);
  assert.equal(writes.length, 1, 'one tab is still open');

  presence.disconnected('webchat', 'v1');
  await time.advance(5000);
  assert.deepEqual(writes.at(-1), ['webchat', 'v1', 'offline']);
});

test('a reload or a short drop within the debounce writes nothing', async () => {
  const { presence, time, writes } = tracker();
  presence.connected('webchat', 'v1');
  await time.advance(5000);
  for (let i = 0; i < 50; i += 1) {
    presence.disconnected('webchat', 'v1');
    await time.advance(1000);
    presence.connected('webchat', 'v1');
    await time.advance(1000);
  }
  assert.deepEqual(writes, [['webchat', 'v1', 'online']]);
});

test('a flapping visitor is written at most writesPerHour times an hour; the last state is written when the hour frees a write', async () => {
  const { presence, time, writes } = tracker({ debounceMs: 5000, writesPerHour: 4 });
  for (let i = 0; i < 30; i += 1) {
    presence.connected('webchat', 'v1');
    await time.advance(6000);
    presence.disconnected('webchat', 'v1');
    await time.advance(6000);
  }
  presence.connected('webchat', 'v1');
  await time.advance(6000);
  assert.equal(writes.length, 4, 'six minutes of flapping: four writes');
  assert.deepEqual(writes.at(-1), ['webchat', 'v1', 'offline']);
  await time.advance(3_600_000);
  assert.equal(writes.length, 5);
  assert.deepEqual(writes.at(-1), ['webchat', 'v1', 'online'], 'the truth is written in the end');
});

test('visitors are kept only while connected or for the hour their writes count; forget drops one at once, pending write and all', async () => {
  const { presence, time, writes } = tracker();
  presence.connected('webchat', 'v1');
  presence.connected('webchat', 'v2');
  assert.equal(presence.size, 2);
  presence.forget('webchat', 'v2');
  assert.equal(presence.size, 1);
  await time.advance(5000);
  assert.deepEqual(writes, [['webchat', 'v1', 'online']], 'nothing written for the erased visitor');

  presence.disconnected('webchat', 'v1');
  await time.advance(5000);
  assert.equal(presence.size, 1, 'kept for the hour its writes count');
  await time.advance(3_600_000);
  assert.equal(presence.size, 0);
  assert.equal(time.pending, 0);

  presence.disconnected('webchat', 'v3'); // never seen: nothing kept
  assert.equal(presence.size, 0);
});

test('a failed write is reported and made again at the next change', async () => {
  const { presence, time, writes, failures, failNextWrite } = tracker();
  failNextWrite();
  presence.connected('webchat', 'v1');
  await time.advance(5000);
  assert.equal(failures.length, 1);
  assert.deepEqual(writes, []);
  presence.connected('webchat', 'v1');
  presence.disconnected('webchat', 'v1');
  presence.disconnected('webchat', 'v1');
  presence.connected('webchat', 'v1');
  await time.advance(5000);
  assert.deepEqual(writes, [['webchat', 'v1', 'online']]);
});

test('a visitor whose chat had no task yet is written online after a later message, once there is one', async () => {
  const { presence, time, writes, taskExists } = tracker();
  taskExists(false);
  presence.connected('webchat', 'v1');
  await time.advance(5000);
  presence.active('webchat', 'v1'); // a message to the bot: still no task
  await time.advance(5000);
  assert.deepEqual(writes, []);
  taskExists(true);
  presence.active('webchat', 'v1'); // the chat reached Flex
  await time.advance(5000);
  assert.deepEqual(writes, [['webchat', 'v1', 'online']]);
  presence.active('webchat', 'v1');
  await time.advance(5000);
  assert.equal(writes.length, 1, 'written once');
});

test('at most maxVisitors are followed at once: a new visitor beyond it is not kept and gets no write', async () => {
  const { presence, time, writes } = tracker({ debounceMs: 5000, writesPerHour: 4, maxVisitors: 2 });
  presence.connected('webchat', 'v1');
  presence.connected('webchat', 'v2');
  presence.connected('webchat', 'v3');
  presence.disconnected('webchat', 'v3');
  await time.advance(5000);
  assert.equal(presence.size, 2);
  assert.deepEqual(
    writes.map(([, visitorId]) => visitorId),
    ['v1', 'v2'],
  );
});
