import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, deliveriesOfType, taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';
import { READ_WRITE_INTERVAL_MS } from '../src/receipts/read-coalescer.js';

/** The middleware's writes of read horizons: participant updates. */
const horizonWrites = (harness: Harness) =>
  harness.twilioRequests.filter((request) => request.method.toUpperCase() === 'POST' && /\/Participants\/[^/]+$/.test(request.uri.split('?')[0]!));

/** A customer with two messages, an agent who accepted and replied: the reply's id as the channel got it. */
async function chatWithReply(harness: Harness, customerId: string) {
  const customer = { id: customerId, name: 'Wes' };
  for (const id of [`${customerId}-1`, `${customerId}-2`]) assert.equal((await harness.send({ id, from: customer, text: `text ${id}` })).status, 202);
  const conversationSid = await activeConversationSid(harness, customer.id);
  const task = await taskFor(harness, conversationSid);
  await harness.control.accept(task.sid, 'alice');
  await harness.control.reply(task.sid, 'Let me look');
  const reply = await eventually(() => deliveriesOfType(harness, 'message').find((delivery) => delivery.body.conversationSid === conversationSid), 'the reply');
  return { customer, conversationSid, task, replyId: String(reply.body.id) };
}

describeWithHarness('read receipts, conversations mode', { routing: 'interactions' }, (harness) => {
  test('agent to customer: the agent reads, the channel gets {type:"read", upTo} naming its own latest message', async () => {
    const { conversationSid, task, customer } = await chatWithReply(harness, 'reader-1');
    await eventually(
      async () => (await harness.admin.conversations.v1.conversations(conversationSid).messages.list()).length === 3,
      'both messages and the reply in Twilio',
    );
    await harness.control.read(task.sid);
    const read = await eventually(
      () => deliveriesOfType(harness, 'read').find((delivery) => delivery.body.conversationSid === conversationSid),
      'the read event',
    );
    assert.equal(read.signatureValid, true);
    assert.deepEqual({ ...read.body, id: undefined }, { type: 'read', id: undefined, conversationSid, to: { id: customer.id }, upTo: 'reader-1-2' });
  });

  test('customer to agent: a burst of read events is coalesced (one Twilio write at once, then one per interval), the horizon ends on the latest, repeats write nothing', async () => {
    const { conversationSid, customer, replyId } = await chatWithReply(harness, 'reader-2');
    const before = horizonWrites(harness).length;
    const startedAt = Date.now();
    const answers = await Promise.all(Array.from({ length: 25 }, () => harness.send({ type: 'read', from: { id: customer.id }, upTo: replyId })));
    // One write at once, then at most one per interval the burst lasted (on a slow machine, more than one).
    const allowed = 2 + Math.floor((Date.now() - startedAt) / READ_WRITE_INTERVAL_MS);
    assert.deepEqual(new Set(answers.map((answer) => answer.status)), new Set([202]));

    const identity = (await harness.middleware.store.findActiveSession('chatapp', customer.id))!.identity;
    const reply = (await harness.admin.conversations.v1.conversations(conversationSid).messages.list()).find((message) => message.author === 'alice')!;
    await eventually(
      async () => (await harness.admin.conversations.v1.conversations(conversationSid).participants(identity).fetch()).lastReadMessageIndex === reply.index,
      "the customer's horizon at the reply",
    );
    const writes = horizonWrites(harness).length - before;
    assert.ok(writes >= 1 && writes <= allowed, `25 reads make at most ${allowed} writes, made ${writes}`);

    // The same read again, after the interval: Twilio already has it, so nothing is written.
    await new Promise((resolve) => setTimeout(resolve, READ_WRITE_INTERVAL_MS + 100));
    assert.equal((await harness.send({ type: 'read', from: { id: customer.id }, upTo: replyId })).status, 202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(horizonWrites(harness).length - before, writes, 'an idempotent read writes nothing');
  });

  test('read events are signed like messages and validated; a read of an unknown message writes nothing; messages flow meanwhile', async () => {
    const { customer } = await chatWithReply(harness, 'reader-3');
    assert.equal((await harness.send({ type: 'read', from: { id: customer.id }, upTo: 'IM0' }, { signature: null })).status, 401);
    const bad = await harness.send({ type: 'read', from: { id: customer.id } });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { error: { field: string } }).error.field, '/upTo');
    const before = horizonWrites(harness).length;
    assert.equal((await harness.send({ type: 'read', from: { id: customer.id }, upTo: 'IM00000000000000000000000000000000' })).status, 202);
    assert.equal((await harness.send({ id: 'reader-3-3', from: customer, text: 'still here' })).status, 202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(horizonWrites(harness).length, before);
  });
});
