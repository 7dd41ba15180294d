import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness } from '@custom-channels/test-kit/harness';
import { deliveriesOfType, sendFirstMessage, taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';
import { BOT_MENU_TEMPLATE_NAME } from '../src/setup/bot-flow.js';

const GREETING = 'Hello! Thanks for contacting us.';
const QUESTION = 'How can we help? Tap an option or reply with its number:';
// What a channel that shows only text gets: the buttons as a numbered list.
const MENU_TEXT = `${QUESTION}\n1. An order\n2. Billing\n3. Something else`;
const BUTTONS = [
  { id: 'orders', title: 'An order' },
  { id: 'billing', title: 'Billing' },
  { id: 'other', title: 'Something else' },
];

describeWithHarness('conversations mode, routed through the bot template', { routing: 'studio-bot' }, (harness) => {
  const transcript = async (conversationSid: string) =>
    (await harness.admin.conversations.v1.conversations(conversationSid).messages.list({ order: 'asc' })).map((m) => ({
      author: m.author,
      body: m.body,
      contentSid: m.contentSid,
    }));
  const menuTemplateSid = async () => (await harness.admin.content.v1.contents.list()).find((t) => t.friendlyName === BOT_MENU_TEMPLATE_NAME)!.sid;

  test("the customer answers the bot's menu over the channel; the task carries the choice and the bot's messages are in the transcript", async () => {
    const customer = { id: 'bot-customer', name: 'Jo' };
    const conversationSid = await sendFirstMessage(harness, { id: 'b-1', from: customer, text: 'hi' });
    // The bot's messages reach the customer over the channel, as an agent's would; the menu with its buttons.
    const menu = await eventually(() => deliveriesOfType(harness, 'message').find((d) => d.body.text === MENU_TEXT && d.signatureValid), 'the menu delivered');
    assert.deepEqual(menu.body.rich, { type: 'quick-reply', body: QUESTION, options: BUTTONS });
    assert.ok(deliveriesOfType(harness, 'message').some((d) => d.body.text === GREETING));
    assert.equal((await harness.control.tasks()).filter((t) => t.attributes.conversationSid === conversationSid).length, 0, 'no task while the bot asks');

    assert.equal((await harness.send({ id: 'b-2', from: customer, text: '1' })).status, 202);
    const task = await taskFor(harness, conversationSid);
    assert.equal(task.attributes.botMenuChoice, 'orders');
    assert.equal(task.attributes.customChannelType, 'chatapp');
    // What the agent sees when they accept: the conversation so far, the bot's part included (the menu as its template).
    const messages = await transcript(conversationSid);
    const customerAuthor = messages[0]!.author;
    assert.deepEqual(messages, [
      { author: customerAuthor, body: 'hi', contentSid: null },
      { author: 'system', body: GREETING, contentSid: null },
      { author: 'system', body: null, contentSid: await menuTemplateSid() },
      { author: customerAuthor, body: '1', contentSid: null },
    ]);

    await harness.control.accept(task.sid);
    await harness.control.reply(task.sid, 'I can help with your order');
    await eventually(() => deliveriesOfType(harness, 'message').some((d) => d.body.text === 'I can help with your order'), 'the agent reply');
  });

  test("a web chat visitor taps a button of the bot's menu; the task carries that choice", async () => {
    const client = await WebchatClient.open(harness.middleware.url);
    after(() => client.close());
    await client.hello();
    client.send({ type: 'message', id: 'bot-tap-1', text: 'hello', name: 'Ada' });
    const menu = await client.next('event', (f) => f.event.kind === 'agent-message' && f.event.rich?.type === 'quick-reply');
    assert.equal(menu.event.kind === 'agent-message' && menu.event.text, MENU_TEXT);
    assert.deepEqual(menu.event.kind === 'agent-message' && menu.event.rich, { type: 'quick-reply', body: QUESTION, options: BUTTONS });

    client.send({ type: 'message', id: 'bot-tap-2', name: 'Ada', selection: { id: 'billing', title: 'Billing' } });
    const task = await eventually(async () => (await harness.control.tasks()).find((t) => t.attributes.customChannelType === 'webchat'), 'the web chat task');
    assert.equal(task.attributes.botMenuChoice, 'billing');
    const conversationSid = String(task.attributes.conversationSid);
    const tap = (await harness.admin.conversations.v1.conversations(conversationSid).messages.list({ order: 'asc' })).at(-1)!;
    assert.equal(tap.body, 'Selected: Billing');
    assert.deepEqual((JSON.parse(tap.attributes) as { selection: unknown }).selection, { id: 'billing', title: 'Billing', source: 'button' });
  });
});
