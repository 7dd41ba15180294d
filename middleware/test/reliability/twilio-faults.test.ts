/**
 * Twilio faults, with and without kill -9: 2,000 messages from 100 customers while the
 * stand-in answers 10% of Twilio writes with 429 and 2% with 500 and adds 0-200 ms to each; then the same
 * with the middleware (a real child process) killed with SIGKILL mid-run and restarted on
 * the same SQLite file. Judged from the stand-in's conversations (test-kit/src/fault-scenarios.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ScenarioResult, twilioFaultsScenario } from '@custom-channels/test-kit/fault-scenarios';

function assertExactlyOnceInOrder(result: ScenarioResult, sent: number): void {
  const summary = `${result.name}: ${JSON.stringify({ ...result, problems: result.problems.slice(0, 5) })}`;
  assert.equal(result.sent, sent, summary);
  assert.equal(result.lost, 0, summary);
  assert.equal(result.duplicated, 0, summary);
  assert.equal(result.outOfOrder, 0, summary);
  // A run that injected nothing would prove nothing.
  assert.ok(result.faults['twilio 429']! > 0 && result.faults['twilio 500']! > 0, summary);
}

test('2,000 messages from 100 customers under Twilio 429s, 500s and latency: each exactly once, in order', { timeout: 300_000 }, async () => {
  const result = await twilioFaultsScenario({ customers: 100, messagesPerCustomer: 20, seed: 1, deadlineMs: 240_000 });
  assertExactlyOnceInOrder(result, 2000);
});

test('the same with the middleware killed with SIGKILL mid-run and restarted on the same SQLite file', { timeout: 300_000 }, async () => {
  const result = await twilioFaultsScenario({ customers: 100, messagesPerCustomer: 20, kills: 1, seed: 2, deadlineMs: 240_000 });
  assert.equal(result.faults['kill -9'], 1, 'the middleware was killed');
  assertExactlyOnceInOrder(result, 2000);
});
