import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness } from '@custom-channels/test-kit/harness';
import { conversationMessages, deliveriesOfType, sendFirstMessage, taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';

const MENU = 'How can we help? Reply with a number:\n1. An order\n2. Billing\n3. Something else';

describeWithHarness('conversations mode, routed through the bot template', { routing: 'studio-bot' }, (harness) => {
  test("the customer answers the bot's menu over the channel; the task carries the choice and the bot's messages are in the transcript", async () => {
    const customer = { id: 'bot-customer', name: 'Jo' };
    const conversationSid = await sendFirstMessage(harness, { id: 'b-1', from: customer, text: 'hi' });
    // The bot's messages reach the customer over the channel, as an agent's would (the menu as text).
    await eventually(() => deliveriesOfType(harness, 'message').some((d) => d.body.text === MENU && d.signatureValid), 'the menu delivered');
    assert.ok(deliveriesOfType(harness, 'message').some((d) => d.body.text === 'Hello! Thanks for contacting us.'));
    assert.equal((await harness.control.tasks()).filter((t) => t.attributes.conversationSid === conversationSid).length, 0, 'no task while the bot asks');

    assert.equal((await harness.send({ id: 'b-2', from: customer, text: '1' })).status, 202);
    const task = await taskFor(harness, conversationSid);
    assert.equal(task.attributes.botMenuChoice, 'orders');
    assert.equal(task.attributes.customChannelType, 'chatapp');
    // What the agent sees when they accept: the conversation so far, the bot's part included.
    assert.deepEqual(
      (await conversationMessages(harness, conversationSid)).map((m) => m.body),
      ['hi', 'Hello! Thanks for contacting us.', MENU, '1'],
    );

    await harness.control.accept(task.sid);
    await harness.control.reply(task.sid, 'I can help with your order');
    await eventually(() => deliveriesOfType(harness, 'message').some((d) => d.body.text === 'I can help with your order'), 'the agent reply');
  });
});
