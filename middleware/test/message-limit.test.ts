import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { conversationMessages, deliveriesOfType, sendFirstMessage, taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';
import type { FlexRouting } from '@custom-channels/test-kit/middleware-env';

const CHATAPP_LIMIT = 20;
const WEBCHAT_LIMIT = 30;
const limits = { env: { CHANNELS_FILE: writeChannelsFile({ chatapp: CHATAPP_LIMIT, webchat: WEBCHAT_LIMIT }) } };
const TOO_LONG_NOTICE = `Not delivered: this message has ${CHATAPP_LIMIT + 1} characters, and Chat App takes at most ${CHATAPP_LIMIT}. Send it shorter or in parts.`;

describeWithHarness('inbound: a message longer than its channel takes', { routing: 'interactions', ...limits }, (harness) => {
  test('webhook adapter: 400 naming /text, nothing stored, nothing sent to Twilio', async () => {
    const requestsBefore = harness.twilioRequests.length;
    const customer = { id: 'limit-customer', name: 'Lee' };
    const tooLong = await harness.send({ id: 'long-1', from: customer, text: 'é'.repeat(CHATAPP_LIMIT + 1) });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.error?.code, 'invalid_body');
    assert.equal(tooLong.body.error?.field, '/text');
    assert.match(tooLong.body.error?.message, new RegExp(`at most ${CHATAPP_LIMIT} characters`));
    assert.equal(harness.twilioRequests.length, requestsBefore);

    // Counted in characters: an emoji is one, however many bytes or UTF-16 units it takes.
    // The same id is new to the middleware: the refused message was not stored.
    const atTheLimit = await harness.send({ id: 'long-1', from: customer, text: '🙂'.repeat(CHATAPP_LIMIT) });
    assert.deepEqual(atTheLimit.body, { status: 'accepted', id: 'long-1' });
  });

  test('web chat: the welcome frame tells the limit, a longer message frame gets an error frame naming /text', async () => {
    const client = await WebchatClient.open(harness.middleware.url);
    try {
      const { welcome } = await client.hello();
      assert.equal(welcome.maxMessageLength, WEBCHAT_LIMIT);
      const from = client.frames.length;
      client.send({ type: 'message', id: 'visitor-long-1', text: 'x'.repeat(WEBCHAT_LIMIT + 1), name: 'Vi' });
      const error = await client.next('error', (frame) => frame.id === 'visitor-long-1', from);
      assert.equal(error.code, 'invalid_frame');
      assert.equal(error.field, '/text');
      assert.equal(
        client.frames.slice(from).some((frame) => frame.type === 'ack' || frame.type === 'event'),
        false,
        'neither stored nor shown',
      );
      client.send({ type: 'message', id: 'visitor-long-1', text: 'short', name: 'Vi' });
      const ack = await client.next('ack', (frame) => frame.id === 'visitor-long-1', from);
      assert.equal(ack.status, 'accepted', 'the refused message was not stored under its id');
    } finally {
      await client.close();
    }
  });
});

const modes: Array<
  [FlexRouting, (harness: Harness, sid: string) => Promise<Array<{ author: string | null; body: string | null; attributes: Record<string, unknown> }>>]
> = [['interactions', conversationMessages]];

for (const [routing, messagesOf] of modes) {
  describeWithHarness(`outbound (${routing}): an agent message longer than the channel takes`, { routing, ...limits }, (harness) => {
    test('is not delivered; the agent is told in the conversation, once, and the entry completes', async () => {
      const customer = { id: `agent-long-${routing}`, name: 'Ann' };
      const sid = await sendFirstMessage(harness, { id: `al-${routing}`, from: customer, text: 'hello' });
      const task = await taskFor(harness, sid);
      await harness.control.accept(task.sid);
      await harness.control.reply(task.sid, 'y'.repeat(CHATAPP_LIMIT + 1));
      await harness.control.reply(task.sid, 'short reply');

      const notices = await eventually(async () => {
        const found = (await messagesOf(harness, sid)).filter((message) => message.author === 'system');
        return found.length > 0 && found;
      }, 'the notice in the conversation');
      assert.equal(notices.length, 1);
      assert.equal(notices[0]!.body, TOO_LONG_NOTICE);
      assert.equal(notices[0]!.attributes.systemNotice, 'message_too_long');

      await eventually(() => deliveriesOfType(harness, 'message').length === 1, 'the short reply delivered');
      assert.deepEqual(
        deliveriesOfType(harness, 'message').map((delivery) => delivery.body.text),
        ['short reply'],
        'the long message and the notice never reach the customer',
      );
      assert.deepEqual(await harness.middleware.store.listDeadLetters(), []);
    });
  });
}

describeWithHarness("the middleware's own notice, whose webhook reaches the middleware", { routing: 'interactions' }, (harness) => {
  test('is not forwarded to the customer; a bot posting as system is', async () => {
    const customer = { id: 'system-echo', name: 'Sam' };
    const sid = await sendFirstMessage(harness, { id: 'se-1', from: customer, text: 'hello' });
    const messages = harness.admin.conversations.v1.conversations(sid).messages;
    const noticeAttributes = JSON.stringify({ systemNotice: 'message_too_long', externalId: 'se-0' });
    await messages.create({ author: 'system', body: 'a notice', attributes: noticeAttributes, xTwilioWebhookEnabled: 'true' });
    await messages.create({ author: 'a-bot', body: 'from a bot', xTwilioWebhookEnabled: 'true' });
    // Studio's widgets post as `system`.
    await messages.create({ author: 'system', body: 'from Studio', xTwilioWebhookEnabled: 'true' });
    await eventually(() => deliveriesOfType(harness, 'message').length === 2, 'the bot messages delivered');
    assert.deepEqual(
      deliveriesOfType(harness, 'message').map((delivery) => delivery.body.text),
      ['from a bot', 'from Studio'],
    );
  });
});
