import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages, deliveriesOfType, taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';
import type { SandboxTask } from '@custom-channels/test-kit/sandbox-control';

/** The task a transfer made: the one of this conversation that came from `from`. */
function transferredTask(harness: Harness, from: string): Promise<SandboxTask> {
  return eventually(async () => (await harness.control.tasks()).find((task) => task.raw.transferredFrom === from), `the task transferred from ${from}`);
}

/** Sends the customer's messages one after the other (each accepted before the next), as a chat would. */
async function sendInOrder(harness: Harness, customer: { id: string; name: string }, ids: string[]): Promise<void> {
  for (const id of ids) assert.equal((await harness.send({ id, from: customer, text: `text of ${id}` })).status, 202);
}

/** The customer's first message, taken by alice: the session's conversation and its first task. */
async function acceptedByAlice(harness: Harness, customer: { id: string; name: string }, firstId: string) {
  await sendInOrder(harness, customer, [firstId]);
  const conversationSid = await activeConversationSid(harness, customer.id);
  const first = await taskFor(harness, conversationSid);
  await harness.control.accept(first.sid, 'alice');
  return { conversationSid, first };
}

const customerTexts = (messages: Array<{ author: string; body: string | null }>, identity: string) =>
  messages.filter((message) => message.author === identity).map((message) => message.body);

const agentChanges = (harness: Harness, conversationSid: string) =>
  deliveriesOfType(harness, 'agent_changed')
    .filter((delivery) => delivery.body.conversationSid === conversationSid)
    .map((delivery) => delivery.body.agent);

/**
 * A customer mid-chat with alice, transferred to `target` while the customer keeps writing;
 * `second` accepts and replies. Checks that every message arrives once and in order, both
 * agents' replies reach the customer, and the session outlives the first agent.
 */
async function handOver(harness: Harness, customerId: string, target: (harness: Harness) => Promise<string>, mode: 'COLD' | 'WARM', second: string) {
  const customer = { id: customerId, name: 'Tess' };
  const { conversationSid, first } = await acceptedByAlice(harness, customer, `${customerId}-1`);
  await eventually(() => agentChanges(harness, conversationSid).length === 1, "alice's joining told");
  const firstJoinedAt = (await harness.middleware.store.findActiveSession('chatapp', customer.id))?.resources.agentJoinedAt;
  assert.ok(firstJoinedAt !== undefined, "alice's joining is on record");
  await harness.control.reply(first.sid, 'Alice here, passing you on');

  const during = Array.from({ length: 8 }, (_, index) => `${customerId}-during-${index}`);
  const [, secondSid] = await Promise.all([sendInOrder(harness, customer, during), harness.control.transfer(first.sid, await target(harness), mode)]);
  await harness.control.accept(secondSid, second);
  assert.equal((await harness.middleware.store.findActiveSession('chatapp', customer.id))?.state, 'open', 'the session outlives the first agent');
  await harness.control.reply(secondSid, `${second} here, how can I help?`);
  await sendInOrder(harness, customer, [`${customerId}-after`]);

  const identity = (await harness.middleware.store.findActiveSession('chatapp', customer.id))!.identity;
  const expected = [`${customerId}-1`, ...during, `${customerId}-after`].map((id) => `text of ${id}`);
  await eventually(
    async () => customerTexts(await conversationMessages(harness, conversationSid), identity).length === expected.length,
    'every customer message in the conversation',
  );
  assert.deepEqual(customerTexts(await conversationMessages(harness, conversationSid), identity), expected, 'each once, in order');

  const replies = () => deliveriesOfType(harness, 'message').filter((delivery) => delivery.body.conversationSid === conversationSid);
  await eventually(() => replies().length === 2, 'both agents reach the customer');
  assert.deepEqual(
    replies().map((delivery) => delivery.body.text),
    ['Alice here, passing you on', `${second} here, how can I help?`],
  );
  await eventually(() => agentChanges(harness, conversationSid).length === 2, 'an agent_changed event per agent');
  assert.deepEqual(agentChanges(harness, conversationSid), ['alice', second]);
  assert.equal(
    (await harness.middleware.store.findActiveSession('chatapp', customer.id))?.resources.agentJoinedAt,
    firstJoinedAt,
    "the first agent's joining stays on record",
  );
  assert.equal(
    deliveriesOfType(harness, 'ended').filter((delivery) => delivery.body.conversationSid === conversationSid).length,
    0,
    'no end while agents change',
  );

  await harness.control.wrapup(secondSid);
  await eventually(
    () => deliveriesOfType(harness, 'ended').some((delivery) => delivery.body.conversationSid === conversationSid),
    'ended once the conversation closes',
  );
  await eventually(async () => (await harness.middleware.store.findActiveSession('chatapp', customer.id)) === undefined, 'the session closed');
  await harness.control.complete(secondSid);
  await harness.control.complete(first.sid);
}

describeWithHarness('transfers, conversations mode (Interactions API)', { routing: 'interactions' }, (harness) => {
  test('a cold transfer to an agent with messages in flight: each arrives once and in order, bob answers, the session ends only when the conversation closes', async () => {
    await handOver(harness, 'transfer-to-agent', (h) => h.control.workerSid('bob'), 'COLD', 'bob');
  });

  test('a warm transfer to a queue: the same, carol taking it from the Support queue', async () => {
    await handOver(harness, 'transfer-to-queue', (h) => h.control.queueSid('Support'), 'WARM', 'carol');
  });

  test('the transferred task carries every attribute of the first, and the Insights conversation id', async () => {
    const customer = { id: 'transfer-attributes', name: 'Uma' };
    const { conversationSid, first } = await acceptedByAlice(harness, customer, 'attributes-1');
    await harness.control.transfer(first.sid, await harness.control.workerSid('bob'));
    const second = await transferredTask(harness, first.sid);
    for (const key of ['channelType', 'customChannelType', 'name', 'from', 'conversationSid'])
      assert.deepEqual(second.attributes[key], first.attributes[key], key);
    const insights = (task: SandboxTask) => task.attributes.conversations as Record<string, unknown>;
    assert.equal(insights(second).conversation_id, insights(first).conversation_id);
    assert.equal(insights(first).conversation_id, conversationSid);
    assert.equal(insights(second).communication_channel, 'Chat App', "the channel's display name");
    assert.equal(insights(second).direction, 'inbound');
    assert.equal(insights(second).initiated_by, 'customer');
  });
});
