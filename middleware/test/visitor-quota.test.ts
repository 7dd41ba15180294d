import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VisitorByteQuota } from '../src/webchat/visitor-quota.js';

test('a visitor over the window gets a refusal with the seconds until the window ends', () => {
  let now = 0;
  const quota = new VisitorByteQuota(10, 60_000, () => now);
  assert.deepEqual(quota.take('a', 8), { ok: true });
  now = 15_000;
  assert.deepEqual(quota.take('a', 3), { ok: false, retryAfterSeconds: 45 });
  now = 60_000;
  assert.deepEqual(quota.take('a', 3), { ok: true });
});

test('what was given back can be sent again', () => {
  const quota = new VisitorByteQuota(10, 60_000, () => 0);
  quota.take('a', 10);
  quota.giveBack('a', 4);
  assert.deepEqual(quota.take('a', 4), { ok: true });
});

test('new visitor after new visitor holds at most the cap, dropping the oldest window first', () => {
  let now = 0;
  const quota = new VisitorByteQuota(10, 3_600_000, () => now, 3);
  for (const visitor of ['a', 'b', 'c', 'd', 'e']) {
    now += 1;
    quota.take(visitor, 10);
  }
  assert.equal(quota.size, 3);
  assert.equal(quota.take('e', 1).ok, false, 'the newest windows are kept');
  assert.equal(quota.take('a', 1).ok, true, 'the oldest window was dropped');
});
