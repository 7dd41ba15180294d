/**
 * Each messenger platform under faults: customers write through its signed webhook, every
 * message delivered twice, while Twilio answers 429s and 500s and the middleware is killed
 * with SIGKILL mid-run; agents reply while the platform answers its rate limit and 503s.
 * Judged from the Twilio stand-in's conversations and the platform stand-in's sends
 * (test-kit/src/messenger-fault-scenario.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MESSENGER_FAULT_PLATFORMS, messengerFaultsScenario } from '@custom-channels/test-kit/messenger-fault-scenario';

for (const platform of MESSENGER_FAULT_PLATFORMS) {
  test(`${platform.name}: 200 messages and 100 replies under faults and a kill -9: each exactly once, in order`, { timeout: 300_000 }, async () => {
    const result = await messengerFaultsScenario(platform, {
      customers: 20,
      messagesPerCustomer: 10,
      repliesPerCustomer: 5,
      kills: 1,
      seed: 3,
      deadlineMs: 240_000,
    });
    const summary = `${result.name}: ${JSON.stringify({ ...result, problems: result.problems.slice(0, 5) })}`;
    assert.equal(result.sent, 300, summary);
    assert.deepEqual([result.lost, result.duplicated, result.outOfOrder], [0, 0, 0], summary);
    assert.equal(result.faults['kill -9'], 1, summary);
    assert.ok(result.faults['twilio 429']! > 0 && result.faults.redeliveries! > 0, summary);
  });
}
