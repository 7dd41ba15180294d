import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startHarness, startReceiver } from './helpers.js';

const h = await startHarness();
const receiver = await startReceiver();
after(() => Promise.all([h.close(), receiver.close()]));

const TRIGGER = { 'configuration.filters': ['onMessageAdded', 'onMessageSent'], 'configuration.triggers': ['help'] };

/** Each product's trigger webhook: `open` adds one calling `url` and answers how to post a message there. */
const PRODUCTS: Array<{ name: string; open(url: string): Promise<(body: string) => Promise<unknown>> }> = [
  {
    name: 'a conversation-scoped',
    async open(url) {
      const conversations = h.client.conversations.v1.conversations;
      const { sid } = await conversations.create({});
      await conversations(sid).webhooks.create({ target: 'trigger', 'configuration.url': url, ...TRIGGER });
      return (body) => conversations(sid).messages.create({ author: 'customer', body });
    },
  },
];

for (const [index, product] of PRODUCTS.entries()) {
  test(`${product.name} trigger webhook is called only for a message that is one of its words, in any case`, async () => {
    const path = `/trigger-${index}`;
    const post = await product.open(`${receiver.url}${path}`);
    for (const body of ['hello', ' HELP ', 'help me']) await post(body);
    await h.sandbox.idle();
    const calls = receiver.received.filter((hook) => hook.path === path);
    assert.deepEqual(
      calls.map((hook) => [hook.params.WebhookType, hook.params.Body]),
      [['trigger', ' HELP ']],
    );
  });
}
