import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogHasher } from '../src/observability/log-hash.js';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { activeConversationSid, conversationMessages, deliveriesOfType, sendFirstMessage, taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';

describeWithHarness('conversations mode, routed through the Interactions API', { routing: 'interactions' }, (harness) => {
  test('the whole loop: inbound, task, agent reply, end, new conversation', async () => {
    const customer = { id: '+15550000001', name: 'Ann Example' };
    const first = await harness.send({ id: 'ext-1', from: customer, text: 'Hello, I need help' });
    assert.equal(first.status, 202);
    assert.deepEqual(first.body, { status: 'accepted', id: 'ext-1' });

    const conversationSid = await activeConversationSid(harness, customer.id);
    const task = await taskFor(harness, conversationSid);
    assert.equal(task.attributes.channelType, 'chatapp');
    assert.equal(task.attributes.customChannelType, 'chatapp');
    assert.equal(task.attributes.name, 'Ann Example');
    assert.equal(task.attributes.conversationSid, conversationSid);

    const participants = await harness.admin.conversations.v1.conversations(conversationSid).participants.list();
    assert.equal(participants.length, 1);
    const identity = participants[0]!.identity;
    assert.match(identity, /^chatapp_[0-9a-f]{32}$/, 'an opaque identity, not the phone number');
    const conversation = await harness.admin.conversations.v1.conversations(conversationSid).fetch();
    assert.ok((conversation.timers as { date_closed?: string }).date_closed, 'a closed timer is set');

    const [message] = await eventually(async () => {
      const messages = await conversationMessages(harness, conversationSid);
      return messages.length === 1 && messages;
    }, 'the customer message in the conversation');
    assert.equal(message!.author, identity);
    assert.equal(message!.body, 'Hello, I need help');
    assert.equal(message!.attributes.externalId, 'ext-1');

    await harness.control.accept(task.sid);
    await harness.control.reply(task.sid, 'Hi Ann, how can I help?');
    const [reply] = await eventually(
      () => deliveriesOfType(harness, 'message').length === 1 && deliveriesOfType(harness, 'message'),
      'the agent reply at the channel',
    );
    assert.equal(reply!.signatureValid, true);
    assert.equal(reply!.body.conversationSid, conversationSid);
    assert.deepEqual(reply!.body.to, { id: customer.id });
    assert.equal(reply!.body.text, 'Hi Ann, how can I help?');
    assert.match(String(reply!.body.id), /^IM[0-9a-f]{32}$/);
    assert.equal(typeof reply!.body.author, 'string');

    await harness.control.complete(task.sid);
    const [ended] = await eventually(() => deliveriesOfType(harness, 'ended').length === 1 && deliveriesOfType(harness, 'ended'), 'the ended event');
    assert.equal(ended!.signatureValid, true);
    assert.deepEqual({ ...ended!.body, id: undefined }, { type: 'ended', id: undefined, conversationSid, to: { id: customer.id } });
    await eventually(async () => (await harness.middleware.store.findActiveSession('chatapp', customer.id)) === undefined, 'the mapping closed');

    const nextConversationSid = await sendFirstMessage(harness, {
      id: 'ext-2',
      from: customer,
      text: 'One more thing',
    });
    assert.notEqual(nextConversationSid, conversationSid);
    const nextTask = await taskFor(harness, nextConversationSid);
    assert.notEqual(nextTask.sid, task.sid);
    await eventually(async () => (await conversationMessages(harness, nextConversationSid)).length === 1, 'the message in the new conversation');

    assert.equal(deliveriesOfType(harness, 'message').length, 1, "the customer's own messages never come back");
    const logs = harness.logLines.join('');
    for (const personal of [customer.id, customer.name, 'Hello, I need help', 'Hi Ann, how can I help?']) {
      assert.ok(!logs.includes(personal), `logs must not contain ${personal}`);
    }
    assert.ok(logs.includes(createLogHasher(harness.config.logHashKey)(customer.id)), 'customers appear in logs as a keyed hash');
  });

  test('20 concurrent first messages from one customer: one conversation holding all 20, in the order accepted', async () => {
    const customer = { id: 'concurrent-customer', name: 'Bo' };
    const ids = Array.from({ length: 20 }, (_, index) => `burst-${index}`);
    const responses = await Promise.all(ids.map((id) => harness.send({ id, from: customer, text: `message ${id}` })));
    assert.deepEqual(
      responses.map((response) => response.status),
      ids.map(() => 202),
    );

    const conversationSid = await activeConversationSid(harness, customer.id);
    const messages = await eventually(async () => {
      const all = await conversationMessages(harness, conversationSid);
      return all.length >= 20 && all;
    }, 'all 20 messages in the conversation');
    assert.equal(messages.length, 20);

    const conversationsOfCustomer = (await harness.admin.conversations.v1.conversations.list()).filter((conversation) =>
      conversation.attributes.includes('"name":"Bo"'),
    );
    assert.equal(conversationsOfCustomer.length, 1, 'exactly one conversation');
    assert.equal((await harness.control.tasks()).filter((task) => task.attributes.conversationSid === conversationSid).length, 1);

    const acceptedOrder = acceptedIdsInLogOrder(harness, ids);
    assert.deepEqual(
      messages.map((message) => message.attributes.externalId),
      acceptedOrder,
    );
  });

  test('a customer sending one message after another, with Twilio slow and throttling: Flex gets them in order', async () => {
    const throttled = { product: 'conversations', method: 'POST', path: '/v1/Conversations/*/Messages' };
    // Three writes in ten throttled, two of them one after the other.
    const script = Array.from({ length: 40 }, (_, n) => ([0, 3, 4].includes(n % 10) ? (429 as const) : ('none' as const)));
    harness.sandbox.setFaults({ http: [{ match: throttled, script, retryAfterSeconds: 0, latencyMs: 10 }] });
    try {
      const customer = { id: 'ordered-customer', name: 'Cy' };
      const ids = Array.from({ length: 15 }, (_, index) => `ordered-${index}`);
      for (const id of ids) assert.equal((await harness.send({ id, from: customer, text: id })).status, 202);
      const conversationSid = await activeConversationSid(harness, customer.id);
      const messages = await eventually(
        async () => {
          const all = await conversationMessages(harness, conversationSid);
          return all.length >= ids.length && all;
        },
        'all messages in the conversation',
        30_000,
      );
      assert.deepEqual(
        messages.map((message) => message.body),
        ids,
      );
    } finally {
      harness.sandbox.setFaults({});
    }
  });

  test('the same inbound id twice gives one message', async () => {
    const customer = { id: 'dedupe-customer', name: 'Di' };
    const body = { id: 'dup-1', from: customer, text: 'only once' };
    assert.equal((await harness.send(body)).status, 202);
    const again = await harness.send(body);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { status: 'duplicate', id: 'dup-1' });
    const conversationSid = await sendFirstMessage(harness, { id: 'dup-2', from: customer, text: 'second' });
    const messages = await eventually(async () => {
      const all = await conversationMessages(harness, conversationSid);
      return all.length >= 2 && all;
    }, 'both distinct messages');
    assert.deepEqual(
      messages.map((message) => message.body),
      ['only once', 'second'],
    );
  });

  test('a creation that fails half way for a passing reason (a 500) is resumed, not redone: exactly one conversation', async () => {
    const customer = { id: 'rollback-customer', name: 'Ed' };
    const before = new Set((await harness.admin.conversations.v1.conversations.list()).map((conversation) => conversation.sid));
    harness.sandbox.setFaults({
      http: [{ match: { product: 'conversations', method: 'POST', path: '/v1/Conversations/*/Webhooks' }, rate500: 1 }],
    });
    const requestsBefore = harness.twilioRequests.length;
    assert.equal((await harness.send({ id: 'rb-1', from: customer, text: 'hello?' })).status, 202);

    const webhookPosts = () => harness.twilioRequests.slice(requestsBefore).filter((request) => request.method === 'POST' && /\/Webhooks$/.test(request.uri));
    await eventually(() => webhookPosts().length >= 2, 'two failed attempts');
    harness.sandbox.setFaults({});
    const conversationSid = await activeConversationSid(harness, customer.id);
    await eventually(async () => (await conversationMessages(harness, conversationSid)).length === 1, 'the message delivered once');

    const created = (await harness.admin.conversations.v1.conversations.list()).filter((conversation) => !before.has(conversation.sid));
    assert.deepEqual(
      created.map((conversation) => conversation.sid),
      [conversationSid],
      'no orphaned conversation',
    );
    assert.deepEqual(
      harness.twilioRequests.slice(requestsBefore).filter((request) => request.method === 'DELETE'),
      [],
      'nothing undone',
    );
    assert.equal(
      harness.twilioRequests.slice(requestsBefore).filter((request) => request.method === 'POST' && /\/v1\/Conversations$/.test(request.uri)).length,
      1,
      'the conversation created once',
    );
  });
});

/** The order in which the middleware accepted the messages, from its debug log (ids appear hashed). */
function acceptedIdsInLogOrder(harness: Harness, ids: string[]): string[] {
  const hashForLog = createLogHasher(harness.config.logHashKey);
  const byHash = new Map(ids.map((id) => [hashForLog(id), id]));
  return harness.logLines
    .map((line) => JSON.parse(line) as { msg?: string; externalId?: string; result?: string })
    .filter((entry) => entry.msg === 'inbound message' && entry.result === 'accepted' && byHash.has(entry.externalId ?? ''))
    .map((entry) => byHash.get(entry.externalId!)!);
}
