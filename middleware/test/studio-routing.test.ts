import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness } from '@custom-channels/test-kit/harness';
import { conversationMessages, deliveriesOfType, sendFirstMessage, taskFor } from '@custom-channels/test-kit/flex-checks';
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
