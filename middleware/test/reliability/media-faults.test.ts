/**
 * Attachments under faults, against the middleware as a child process: MCS answers 10% of
 * uploads 429 and 2% 500, the channel's media host is down (503) for a while, and the
 * middleware is killed with SIGKILL mid-run. Every attachment must reach its customer's
 * conversation once, in order, with its bytes. The outage is 3 s here (`npm run faults`
 * runs 30 s).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mediaFaultsScenario } from '@custom-channels/test-kit/media-fault-scenario';

test('attachments: MCS 429/500, the media host down, a kill -9: nothing lost, doubled or reordered', { timeout: 300_000 }, async () => {
  const result = await mediaFaultsScenario({ customers: 4, attachmentsPerCustomer: 4, hostDownMs: 3000, kills: 1, seed: 5 });
  const summary = JSON.stringify({ ...result, problems: result.problems.slice(0, 5) });
  assert.equal(result.sent, 16, summary);
  assert.ok(result.faults['media host 503']! > 0, `the media host refused while down: ${summary}`);
  assert.equal(result.faults['kill -9'], 1, summary);
  assert.deepEqual([result.lost, result.duplicated, result.outOfOrder], [0, 0, 0], summary);
});
