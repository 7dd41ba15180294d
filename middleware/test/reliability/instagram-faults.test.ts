import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instagramFaultsScenario } from '@custom-channels/test-kit/instagram-fault-scenario';

test('Instagram: Twilio 429/500, Meta 613/500, redeliveries, a kill -9: nothing lost, doubled or reordered either way', { timeout: 300_000 }, async () => {
  const result = await instagramFaultsScenario({ customers: 4, messagesPerCustomer: 5, repliesPerCustomer: 5, kills: 1, seed: 5 });
  const summary = JSON.stringify({ ...result, problems: result.problems.slice(0, 5) });
  assert.equal(result.sent, 40, summary);
  assert.equal(result.faults['kill -9'], 1, summary);
  assert.equal(result.notes.redeliveries, 20, summary);
  assert.ok(result.faults['instagram 613']! + result.faults['instagram 500']! > 0, `Meta refused some sends: ${summary}`);
  assert.deepEqual([result.lost, result.duplicated, result.outOfOrder], [0, 0, 0], summary);
});
