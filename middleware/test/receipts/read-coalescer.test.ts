import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogHasher } from '../../src/observability/log-hash.js';
import pino from 'pino';
import { eventually } from '@custom-channels/test-kit/poll';
import { createReadCoalescer } from '../../src/receipts/read-coalescer.js';
import type { ReadHorizons } from '../../src/receipts/read-horizons.js';
import type { Session } from '../../src/store/store.js';

const INTERVAL_MS = 40;

function session(customerId: string, state: Session['state'] = 'open'): Session {
  return {
    id: `s-${customerId}`,
    channelType: 'chatapp',
    customerId,
    customerName: 'C',
    identity: `chatapp_${customerId}`,
    state,
    resources: { conversationSid: 'CH1' },
    createdAt: 0,
  };
}

/** Read horizons that record each write and can be told to fail. */
function recordingHorizons() {
  const writes: Array<{ customerId: string; upTo: string }> = [];
  let failing = false;
  const horizons: ReadHorizons = {
    customerMessageUpTo: () => Promise.resolve(undefined),
    markReadByCustomer: (s, messageSid) => {
      if (failing) return Promise.reject(new Error('Twilio said no'));
      writes.push({ customerId: s.customerId, upTo: messageSid });
      return Promise.resolve('written');
    },
  };
  return { writes, horizons, fail: (value: boolean) => (failing = value) };
}

function coalescer(horizons: ReadHorizons, sessions: Record<string, Session> = {}) {
  const store = { findActiveSession: (_channelType: string, customerId: string) => Promise.resolve(sessions[customerId] ?? session(customerId)) };
  return createReadCoalescer({ store, horizons, logger: pino({ level: 'silent' }), hashForLog: createLogHasher('k'.repeat(32)), intervalMs: INTERVAL_MS });
}

test('the first read is written at once; a burst after it becomes one write of the latest; each customer has their own interval', async () => {
  const { writes, horizons } = recordingHorizons();
  const reads = coalescer(horizons);
  reads.accept('chatapp', 'ann', 'IM1');
  for (const upTo of ['IM2', 'IM3', 'IM4']) reads.accept('chatapp', 'ann', upTo);
  reads.accept('chatapp', 'bo', 'IM9');
  await eventually(() => writes.length === 3, 'three writes');
  assert.deepEqual(writes, [
    { customerId: 'ann', upTo: 'IM1' },
    { customerId: 'bo', upTo: 'IM9' },
    { customerId: 'ann', upTo: 'IM4' },
  ]);
  await reads.close();
});

test('a customer without an open session, or a failing write, is dropped without throwing; later reads still go through', async () => {
  const { writes, horizons, fail } = recordingHorizons();
  const reads = coalescer(horizons, { gone: session('gone', 'closed') });
  reads.accept('chatapp', 'gone', 'IM1');
  fail(true);
  reads.accept('chatapp', 'cy', 'IM2');
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 3));
  assert.deepEqual(writes, []);
  fail(false);
  reads.accept('chatapp', 'cy', 'IM3');
  await eventually(() => writes.length === 1, 'the later read');
  assert.deepEqual(writes, [{ customerId: 'cy', upTo: 'IM3' }]);
  await reads.close();
});

test('after close nothing more is written', async () => {
  const { writes, horizons } = recordingHorizons();
  const reads = coalescer(horizons);
  reads.accept('chatapp', 'dee', 'IM1');
  reads.accept('chatapp', 'dee', 'IM2');
  await reads.close();
  reads.accept('chatapp', 'dee', 'IM3');
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 3));
  assert.deepEqual(writes, [{ customerId: 'dee', upTo: 'IM1' }]);
});
