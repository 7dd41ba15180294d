import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, chatMessages, conversationMessages, deliveriesOfType, sendFirstMessage, taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';

describeWithHarness('conversations mode, routed through a Studio flow', { routing: 'studio' }, (harness) => {
  test('the first message starts the flow, which creates the task; the reply comes back', async () => {
    const customer = { id: 'studio-customer', name: 'Jo' };
    const conversationSid = await sendFirstMessage(harness, { id: 's-1', from: customer, text: 'hello studio' });
    const webhooks = await harness.admin.conversations.v1.conversations(conversationSid).webhooks.list();
    assert.deepEqual(webhooks.map((webhook) => webhook.target).sort(), ['studio', 'webhook']);

    const task = await taskFor(harness, conversationSid);
    assert.equal(task.attributes.customChannelType, 'chatapp');
    assert.equal(task.attributes.channelType, 'chatapp');
    assert.equal(task.attributes.name, 'Jo');
    await eventually(async () => (await conversationMessages(harness, conversationSid)).length >= 1, 'message posted');

    await harness.control.accept(task.sid);
    await harness.control.reply(task.sid, 'hello from Flex');
    await eventually(
      () => deliveriesOfType(harness, 'message').some((delivery) => delivery.body.text === 'hello from Flex' && delivery.signatureValid),
      'reply',
    );
  });
});

describeWithHarness('flex-flow mode (Programmable Chat through a Flex Flow)', { routing: 'flex-flow' }, (harness) => {
  test('the whole loop: channel and task, agent reply, INACTIVE ends it, next message opens a new channel', async () => {
    const customer = { id: 'legacy@example.com', name: 'Kim Legacy' };
    const channelSid = await sendFirstMessage(harness, { id: 'f-1', from: customer, text: 'hello legacy' });
    assert.match(channelSid, /^CH[0-9a-f]{32}$/);

    const task = await taskFor(harness, channelSid);
    assert.equal(task.attributes.channelType, 'chatapp');
    assert.equal(task.attributes.customChannelType, 'chatapp');
    assert.equal(task.attributes.name, 'Kim Legacy');
    assert.equal(task.attributes.channelSid, channelSid);

    const serviceSid = harness.sandbox.seeded.chatServiceSid;
    const webhooks = await harness.admin.chat.v2.services(serviceSid).channels(channelSid).webhooks.list();
    const webhook = webhooks.find((each) => each.type === 'webhook');
    assert.deepEqual([...((webhook?.configuration as { filters?: string[] }).filters ?? [])].sort(), [
      'onChannelUpdated',
      'onMemberAdded',
      'onMemberUpdated',
      'onMessageSent',
    ]);
    const [message] = await eventually(async () => {
      const all = await chatMessages(harness, channelSid);
      return all.length === 1 && all;
    }, 'the customer message in the channel');
    assert.equal(message!.body, 'hello legacy');
    assert.match(String(message!.author), /^chatapp_[0-9a-f]{32}$/);
    assert.equal(message!.attributes.externalId, 'f-1');

    await harness.control.accept(task.sid);
    await harness.control.reply(task.sid, 'hello from the agent');
    const [reply] = await eventually(() => deliveriesOfType(harness, 'message').length === 1 && deliveriesOfType(harness, 'message'), 'the reply');
    assert.equal(reply!.signatureValid, true);
    assert.equal(reply!.body.text, 'hello from the agent');
    assert.equal(reply!.body.conversationSid, channelSid);
    assert.deepEqual(reply!.body.to, { id: customer.id });

    await harness.control.complete(task.sid);
    const [ended] = await eventually(() => deliveriesOfType(harness, 'ended').length === 1 && deliveriesOfType(harness, 'ended'), 'the ended event');
    assert.equal(ended!.body.conversationSid, channelSid);
    assert.equal(ended!.signatureValid, true);

    assert.equal((await harness.send({ id: 'f-2', from: customer, text: 'back again' })).status, 202);
    const nextChannelSid = await eventually(async () => {
      const sid = await activeConversationSid(harness, customer.id);
      return sid !== channelSid && sid;
    }, 'a new channel');
    const nextTask = await taskFor(harness, nextChannelSid);
    assert.notEqual(nextTask.sid, task.sid);
    assert.equal(deliveriesOfType(harness, 'message').length, 1, 'no echo of the customer');
    const logs = harness.logLines.join('');
    for (const personal of [customer.id, customer.name, 'hello legacy', 'hello from the agent']) assert.ok(!logs.includes(personal), personal);
  });

  test('concurrent first messages in flex-flow mode: one channel, all in order accepted', async () => {
    const customer = { id: 'legacy-burst', name: 'Lu' };
    const ids = Array.from({ length: 20 }, (_, index) => `lb-${index}`);
    await Promise.all(ids.map((id) => harness.send({ id, from: customer, text: id })));
    const channelSid = await activeConversationSid(harness, customer.id);
    const messages = await eventually(async () => {
      const all = await chatMessages(harness, channelSid);
      return all.length >= 20 && all;
    }, 'all 20 in the channel');
    assert.deepEqual(new Set(messages.map((message) => message.body)), new Set(ids));
    assert.equal(messages.length, 20);
  });
});
