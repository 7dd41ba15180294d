/**
 * Channel faults and redeliveries, against the middleware as a child process:
 * - the channel's delivery URL fails (503) for a while: the agents' replies arrive, each
 *   once and in order per conversation, once it recovers. The outage is 5 s here to keep
 *   `npm test` short (RELIABILITY_OUTAGE_MS overrides it); `npm run faults` runs a 30 s
 *   outage.
 * - webhook redeliveries (same I-Twilio-Idempotency-Token, and the same MessageSid under a
 *   new token) and duplicate inbound ids (concurrent and sequential copies): no duplicates.
 * Judged from the channel endpoint's deliveries and the stand-in's conversations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelOutageScenario, duplicatesScenario, type ScenarioResult } from '@custom-channels/test-kit/fault-scenarios';

function assertNothingLostDoubledOrReordered(result: ScenarioResult, sent: number): void {
  const summary = `${result.name}: ${JSON.stringify({ ...result, problems: result.problems.slice(0, 5) })}`;
  assert.equal(result.sent, sent, summary);
  assert.deepEqual([result.lost, result.duplicated, result.outOfOrder], [0, 0, 0], summary);
}

test("the channel's delivery URL down for a while: the agents' replies arrive once, in order, when it recovers", { timeout: 300_000 }, async () => {
  const outageMs = Number(process.env.RELIABILITY_OUTAGE_MS ?? 5000);
  const result = await channelOutageScenario({ customers: 10, repliesPerCustomer: 10, outageMs, seed: 3 });
  assert.ok(result.faults['channel 503']! > 0, 'deliveries were refused during the outage');
  assertNothingLostDoubledOrReordered(result, 100);
});

test('webhook redeliveries and duplicate inbound ids: no duplicates either way', { timeout: 300_000 }, async () => {
  const result = await duplicatesScenario({ customers: 20, messagesPerCustomer: 5, repliesPerCustomer: 5, seed: 4 });
  assert.equal(result.faults['inbound copies'], 200, 'every inbound message was sent three times');
  assert.equal(result.faults['webhook redeliveries'], 300, 'every agent reply webhook was redelivered three times');
  assertNothingLostDoubledOrReordered(result, 200);
});
