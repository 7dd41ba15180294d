import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startHarness, startReceiver } from './helpers.js';

const h = await startHarness();
const receiver = await startReceiver();
after(() => Promise.all([h.close(), receiver.close()]));

/** The bodies of the messages that reached this receiver path, once the stand-in is idle. */
async function bodiesAt(path: string): Promise<string[]> {
  await h.sandbox.idle();
  return receiver.received.filter((hook) => hook.path === path).map((hook) => `${hook.params.WebhookType}:${hook.params.Body}`);
}

test('a conversation-scoped trigger webhook is called only for a message that is one of its words, in any case', async () => {
  const conversations = h.client.conversations.v1.conversations;
  const conv = await conversations.create({});
  await conversations(conv.sid).webhooks.create({
    target: 'trigger',
    'configuration.url': `${receiver.url}/conversation-trigger`,
    'configuration.filters': ['onMessageAdded'],
    'configuration.triggers': ['help'],
  });
  for (const body of ['hello', ' HELP ', 'help me']) await conversations(conv.sid).messages.create({ author: 'customer', body });
  assert.deepEqual(await bodiesAt('/conversation-trigger'), ['trigger: HELP ']);
});

test('a Chat channel trigger webhook is called only for a message that is one of its words, in any case', async () => {
  const channels = h.client.chat.v2.services(h.sandbox.seeded.chatServiceSid).channels;
  const channel = await channels.create({});
  await channels(channel.sid).webhooks.create({
    type: 'trigger',
    'configuration.url': `${receiver.url}/chat-trigger`,
    'configuration.filters': ['onMessageSent'],
    'configuration.triggers': ['help'],
  });
  for (const body of ['hello', 'Help', 'help me']) await channels(channel.sid).messages.create({ from: 'customer', body });
  assert.deepEqual(await bodiesAt('/chat-trigger'), ['trigger:Help']);
});
