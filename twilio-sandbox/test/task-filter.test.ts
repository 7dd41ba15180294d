import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compileTaskExpression } from '../src/task-expression.js';
import { startHarness, type Harness } from './helpers.js';

test('expressions: == and != on dotted paths, AND binding tighter than OR, quoted strings, numbers, booleans', () => {
  const task = { conversationSid: 'CH1', channelType: 'chatapp', priority: 2, vip: true, customer: { tier: 'gold' } };
  const matches = (expression: string) => compileTaskExpression(expression)(task);
  assert.equal(matches(`conversationSid == "CH1"`), true);
  assert.equal(matches(`conversationSid == 'CH2'`), false);
  assert.equal(matches(`conversationSid != "CH2"`), true);
  assert.equal(matches(`customer.tier == "gold" AND priority == 2`), true);
  assert.equal(matches(`customer.tier == "silver" and priority == 2`), false);
  assert.equal(matches(`channelType == "web" OR vip == true && priority == 2`), true);
  assert.equal(matches(`channelType == "web" || vip == false`), false);
  assert.equal(matches(`missing.path == null`), false, 'an absent attribute is not null');
});

test('expressions the stand-in does not evaluate are refused, never matched against everything', () => {
  for (const expression of [`channelType IN ["a", "b"]`, `priority > 1`, `(vip == true)`, `conversationSid ==`, `== "x"`, `a == "1" AND`, ``]) {
    assert.throws(() => compileTaskExpression(expression), Error, expression);
  }
});

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

test('GET Tasks with EvaluateTaskAttributes, through the twilio library: the matching tasks only; an unsupported expression is a 400', async () => {
  const { workspaceSid, workflowSid } = h.sandbox.seeded;
  const tasks = h.client.taskrouter.v1.workspaces(workspaceSid).tasks;
  const made = await Promise.all(
    ['CHa', 'CHb', 'CHa'].map((conversationSid) => tasks.create({ workflowSid, taskChannel: 'chat', attributes: JSON.stringify({ conversationSid }) })),
  );
  const found = await tasks.list({ evaluateTaskAttributes: `conversationSid == "CHa"` });
  assert.deepEqual(found.map((task) => task.sid).sort(), [made[0]!.sid, made[2]!.sid].sort());
  await assert.rejects(tasks.list({ evaluateTaskAttributes: 'priority > 1' }), (error: { status: number; code: number; message: string }) => {
    assert.equal(error.status, 400);
    assert.equal(error.code, 20001);
    assert.match(error.message, /EvaluateTaskAttributes/);
    return true;
  });
});
