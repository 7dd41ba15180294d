import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages, deliveriesOfType, sendFirstMessage, taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';

describeWithHarness('state survives a restart on the same SQLite file', { routing: 'interactions' }, (harness) => {
  test("the customer's open conversation is reused, and replies still arrive", async () => {
    const customer = { id: 'restart-customer', name: 'Gus' };
    const conversationSid = await sendFirstMessage(harness, { id: 'r-1', from: customer, text: 'before restart' });
    const task = await taskFor(harness, conversationSid);
    await eventually(async () => (await conversationMessages(harness, conversationSid)).length === 1, 'first message posted');

    await harness.restart();

    assert.equal((await harness.send({ id: 'r-1', from: customer, text: 'before restart' })).status, 200, 'dedupe keys survived');
    assert.equal((await harness.send({ id: 'r-2', from: customer, text: 'after restart' })).status, 202);
    const messages = await eventually(async () => {
      const all = await conversationMessages(harness, conversationSid);
      return all.length === 2 && all;
    }, 'second message in the same conversation');
    assert.deepEqual(
      messages.map((message) => message.body),
      ['before restart', 'after restart'],
    );
    assert.equal(await activeConversationSid(harness, customer.id), conversationSid);
    assert.equal((await harness.control.tasks()).filter((each) => each.attributes.conversationSid === conversationSid).length, 1);

    await harness.control.accept(task.sid);
    await harness.control.reply(task.sid, 'still here');
    await eventually(() => deliveriesOfType(harness, 'message').length === 1, 'the reply delivered after the restart');
  });

  test('deliveries queued while the channel is down are retried and arrive in order', async () => {
    const customer = { id: 'retry-customer', name: 'Hal' };
    const conversationSid = await sendFirstMessage(harness, { id: 'd-1', from: customer, text: 'hi' });
    const task = await taskFor(harness, conversationSid);
    await harness.control.accept(task.sid);
    const before = deliveriesOfType(harness, 'message').length;
    harness.receiver.failNext(5, 503);
    for (const text of ['one', 'two', 'three']) await harness.control.reply(task.sid, text);
    const delivered = await eventually(() => {
      const mine = deliveriesOfType(harness, 'message').slice(before);
      return mine.length === 3 && mine;
    }, 'all three replies after the failures');
    assert.deepEqual(
      delivered.map((delivery) => delivery.body.text),
      ['one', 'two', 'three'],
    );
  });

  test('a creation interrupted by a crash is resumed on the next message: the conversation it made is used, nothing made twice', async () => {
    const customer = { id: 'crash-customer', name: 'Ida' };
    const orphan = await harness.admin.conversations.v1.conversations.create({
      uniqueName: 'ccs_interrupted0000000000000000000',
    });
    const inserted = await harness.middleware.store.insertSession({
      id: 'ccs_interrupted0000000000000000000',
      channelType: 'chatapp',
      customerId: customer.id,
      customerName: customer.name,
      identity: 'chatapp_interrupted',
      state: 'creating',
      resources: {},
      createdAt: Date.now(),
    });
    assert.equal(inserted, true);

    const conversationSid = await sendFirstMessage(harness, { id: 'c-1', from: customer, text: 'anyone?' });
    assert.equal(conversationSid, orphan.sid, 'the conversation the interrupted creation made');
    await eventually(async () => (await conversationMessages(harness, conversationSid)).length === 1, 'message in the conversation');
    const scoped = harness.admin.conversations.v1.conversations(conversationSid);
    assert.equal((await scoped.participants.list()).length, 1);
    assert.deepEqual(
      (await scoped.webhooks.list()).map((webhook) => webhook.target),
      ['webhook'],
    );
    const tasks = await eventually(async () => {
      const all = (await harness.control.tasks()).filter((task) => task.attributes.conversationSid === conversationSid);
      return all.length > 0 && all;
    }, 'the task');
    assert.equal(tasks.length, 1);
  });

  test('a creation interrupted after it reached Flex, before anything was recorded: resumed with the task Flex already made', async () => {
    const customer = { id: 'crash-after-routing', name: 'Jo' };
    const sessionId = 'ccs_interruptedafterrouting000000';
    const orphan = await harness.admin.conversations.v1.conversations.create({ uniqueName: sessionId });
    const { workspaceSid, workflowSid } = harness.sandbox.seeded;
    await harness.admin.flexApi.v1.interaction.create({
      channel: { type: 'chat', initiated_by: 'customer', properties: { media_channel_sid: orphan.sid } },
      routing: {
        properties: {
          workspace_sid: workspaceSid,
          workflow_sid: workflowSid,
          task_channel_unique_name: 'chat',
          attributes: {
            channelType: 'chatapp',
            customChannelType: 'chatapp',
            name: customer.name,
            conversationSid: orphan.sid,
          },
        },
      },
    });
    const orphanTask = await taskFor(harness, orphan.sid);
    assert.equal(orphanTask.status, 'pending');
    await harness.middleware.store.insertSession({
      id: sessionId,
      channelType: 'chatapp',
      customerId: customer.id,
      customerName: customer.name,
      identity: 'chatapp_interrupted_after_routing',
      state: 'creating',
      resources: {},
      createdAt: Date.now(),
    });

    const conversationSid = await sendFirstMessage(harness, { id: 'c-2', from: customer, text: 'still there?' });
    assert.equal(conversationSid, orphan.sid, 'the conversation the interrupted creation made');
    await eventually(async () => (await conversationMessages(harness, conversationSid)).length === 1, 'message in the conversation');
    const tasks = (await harness.control.tasks()).filter((task) => task.attributes.conversationSid === conversationSid);
    assert.deepEqual(
      tasks.map((task) => [task.sid, task.status]),
      [[orphanTask.sid, 'pending']],
      'the task Flex made for it, and no second one',
    );
  });
});
