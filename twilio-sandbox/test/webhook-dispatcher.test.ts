import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRandom, FaultInjector } from '../src/faults.js';
import { Scheduler } from '../src/scheduler.js';
import { WebhookDispatcher } from '../src/webhooks.js';

describe('webhooks in flight when the stand-in closes', () => {
  test('closing ends every request still waiting for an answer, and records why', { timeout: 10_000 }, async () => {
    // A receiver that never answers: only the close can end these requests.
    const received: IncomingMessage[] = [];
    let allArrived!: () => void;
    const arrived = new Promise<void>((done) => (allArrived = done));
    const receiver = createServer((request) => {
      received.push(request);
      if (received.length === 3) allArrived();
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const scheduler = new Scheduler();
    const dispatcher = new WebhookDispatcher({ authToken: 'token', timeoutMs: 600_000, retries: 0, scheduler, faults: new FaultInjector(createRandom(1)) });
    try {
      for (const n of [1, 2, 3]) dispatcher.send({ url, params: { EventType: 'onMessageAdded', Index: String(n) } });
      await arrived;
      await scheduler.close();
      assert.deepEqual(
        dispatcher.deliveries.map((record) => [record.outcome, record.attempts.map((attempt) => attempt.error)]),
        [
          ['failed', ['stand-in closed']],
          ['failed', ['stand-in closed']],
          ['failed', ['stand-in closed']],
        ],
      );
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });
});
