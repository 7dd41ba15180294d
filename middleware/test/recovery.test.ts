import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages, deliveriesOfType, sendFirstMessage, taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';

describeWithHarness('recovery from lost answers and missed webhooks', { routing: 'interactions' }, (harness) => {
  test('a post whose answer was lost is not posted again on retry', async () => {
    const customer = { id: 'lost-answer-customer', name: 'Max' };
    const conversationSid = await sendFirstMessage(harness, { id: 'la-0', from: customer, text: 'first' });
    await eventually(async () => (await conversationMessages(harness, conversationSid)).length === 1, 'first message');

    harness.loseAnswers(1, (request) => request.method === 'POST' && request.uri.endsWith(`/Conversations/${conversationSid}/Messages`));
    assert.equal((await harness.send({ id: 'la-1', from: customer, text: 'answer lost' })).status, 202);
    assert.equal((await harness.send({ id: 'la-2', from: customer, text: 'after it' })).status, 202);
    const messages = await eventually(async () => {
      const all = await conversationMessages(harness, conversationSid);
      return all.length >= 3 && all;
    }, 'all three messages');
    await harness.sandbox.idle();
    assert.deepEqual(
      (await conversationMessages(harness, conversationSid)).map((message) => message.body),
      ['first', 'answer lost', 'after it'],
    );
    assert.equal(messages.length, 3);
  });

  test('a conversation closed while its webhook was lost: the next message ends it and opens a new one', async () => {
    const customer = { id: 'missed-close-customer', name: 'Nia' };
    const conversationSid = await sendFirstMessage(harness, { id: 'mc-1', from: customer, text: 'hello' });
    await taskFor(harness, conversationSid);

    // Every webhook is lost from here on: the middleware learns of the close only from Twilio's refusal.
    harness.sandbox.setFaults({ webhooks: { dropRate: 1 } });
    try {
      await harness.admin.conversations.v1.conversations(conversationSid).update({ state: 'closed' });
      assert.equal((await harness.send({ id: 'mc-2', from: customer, text: 'still there?' })).status, 202);
      const nextSid = await eventually(async () => {
        const sid = await activeConversationSid(harness, customer.id);
        return sid !== conversationSid && sid;
      }, 'a new conversation');
      await eventually(
        async () => (await conversationMessages(harness, nextSid)).map((message) => message.body).join() === 'still there?',
        'the message in the new conversation',
      );
      await taskFor(harness, nextSid);
      await eventually(
        () => deliveriesOfType(harness, 'ended').some((delivery) => delivery.body.conversationSid === conversationSid),
        'the ended event for the old one',
      );
    } finally {
      harness.sandbox.setFaults({});
    }
  });

  test('a Twilio webhook carrying a 32 KB message is accepted', async () => {
    const customer = { id: 'long-reply-customer', name: 'Oz' };
    const conversationSid = await sendFirstMessage(harness, { id: 'lr-1', from: customer, text: 'tell me everything' });
    const task = await taskFor(harness, conversationSid);
    await harness.control.accept(task.sid);
    const longText = 'é'.repeat(16_000);
    await harness.control.reply(task.sid, longText);
    await eventually(() => deliveriesOfType(harness, 'message').some((delivery) => delivery.body.text === longText), 'the long reply');
  });

  test('a session the removed flex-flow mode left open (a Chat channel, unknown to Conversations): the next message ends it and opens a conversation', async () => {
    const customer = { id: 'flex-flow-customer', name: 'Lee' };
    const chatChannelSid = `CH${'f'.repeat(32)}`;
    const store = harness.middleware.store;
    // What the store reads of such a row: its stored mode is no longer read.
    assert.ok(
      await store.insertSession({
        id: 'ccs_from_flex_flow',
        channelType: 'chatapp',
        customerId: customer.id,
        customerName: customer.name,
        identity: 'chatapp_legacy_identity',
        state: 'creating',
        resources: {},
        createdAt: Date.now(),
      }),
    );
    await store.recordSessionResources('ccs_from_flex_flow', { conversationSid: chatChannelSid });
    await store.markSessionOpen('ccs_from_flex_flow');

    assert.equal((await harness.send({ id: 'ff-1', from: customer, text: 'back again' })).status, 202);
    const conversationSid = await eventually(async () => {
      const sid = await activeConversationSid(harness, customer.id);
      return sid !== chatChannelSid && sid;
    }, 'a conversation instead of the Chat channel');
    await eventually(async () => (await conversationMessages(harness, conversationSid)).map((message) => message.body).join() === 'back again', 'the message');
    await eventually(() => deliveriesOfType(harness, 'ended').some((delivery) => delivery.body.conversationSid === chatChannelSid), 'the ended event');
    assert.deepEqual(await store.listDeadLetters(), []);
  });
});
