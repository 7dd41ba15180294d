/**
 * Agents start the conversation: POST /agent/outbound with the agent's Flex token opens the
 * session routed to that agent (initiated_by agent, direction outbound), exactly once under a
 * double submit and after a lost answer, joins a conversation the customer already has, and
 * the customer's reply lands in the same conversation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { conversationMessages, deliveriesOfType, sendFirstMessage } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';

const env = { CHANNELS_FILE: writeChannelsFile({}, {}, { outbound: true }) };

async function tokenOf(harness: Harness, worker: string): Promise<string> {
  const response = await fetch(`${harness.sandbox.url}/sandbox/flex-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ worker }),
  });
  return ((await response.json()) as { token: string }).token;
}

function startConversation(harness: Harness, token: string, body: Record<string, unknown>) {
  return fetch(`${harness.middleware.url}/agent/outbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function tasksOf(harness: Harness, conversationSid: string) {
  return (await harness.control.tasks()).filter((task) => task.attributes.conversationSid === conversationSid);
}

async function openConversationOf(harness: Harness, customerId: string): Promise<string> {
  return eventually(async () => {
    const session = await harness.middleware.store.findActiveSession('chatapp', customerId);
    return session?.state === 'open' ? session.resources.conversationSid : undefined;
  }, 'the open session');
}

describeWithHarness('agents start conversations', { routing: 'interactions', env }, (harness) => {
  test("the agent's task is routed to them as outbound; the customer gets the message and replies into the same conversation", async () => {
    const alice = await tokenOf(harness, 'alice');
    const response = await startConversation(harness, alice, {
      channelType: 'chatapp',
      customerId: 'cust-out-1',
      text: 'Your appointment is confirmed',
      requestId: 'req-out-0001',
    });
    assert.equal(response.status, 202);
    assert.equal(((await response.json()) as { status: string }).status, 'accepted');

    const conversationSid = await openConversationOf(harness, 'cust-out-1');
    const [task] = await eventually(async () => {
      const tasks = await tasksOf(harness, conversationSid);
      return tasks.length > 0 ? tasks : undefined;
    }, 'the task');
    assert.deepEqual(
      {
        initiated_by: (task!.attributes.conversations as Record<string, unknown>).initiated_by,
        direction: (task!.attributes.conversations as Record<string, unknown>).direction,
      },
      { initiated_by: 'agent', direction: 'outbound' },
    );
    assert.equal(task!.raw.workerSid ?? null, null, 'not yet accepted');
    await assert.rejects(harness.control.accept(task!.sid, 'bob'), 'routed to alice only');
    await harness.control.accept(task!.sid, 'alice');

    await eventually(
      () => deliveriesOfType(harness, 'message').some((delivery) => delivery.body.text === 'Your appointment is confirmed'),
      'the first message delivered',
    );
    assert.equal((await harness.send({ id: 'reply-out-1', from: { id: 'cust-out-1', name: 'Dana' }, text: 'Thanks, see you then' })).status, 202);
    await eventually(
      async () => (await conversationMessages(harness, conversationSid)).some((message) => message.body === 'Thanks, see you then'),
      'the reply in the same conversation',
    );
    assert.equal(await openConversationOf(harness, 'cust-out-1'), conversationSid);
  });

  test('a double submit opens one conversation', async () => {
    const alice = await tokenOf(harness, 'alice');
    const body = { channelType: 'chatapp', customerId: 'cust-out-2', text: 'Following up on your case', requestId: 'req-out-0002' };
    const answers = await Promise.all([startConversation(harness, alice, body), startConversation(harness, alice, body)]);
    const statuses = await Promise.all(answers.map(async (answer) => ((await answer.json()) as { status: string }).status));
    assert.deepEqual(statuses.sort(), ['accepted', 'duplicate']);
    const conversationSid = await openConversationOf(harness, 'cust-out-2');
    await eventually(async () => (await conversationMessages(harness, conversationSid)).some((message) => message.body === body.text), 'the message posted');
    await harness.sandbox.idle();
    assert.equal((await tasksOf(harness, conversationSid)).length, 1);
    assert.equal((await conversationMessages(harness, conversationSid)).filter((message) => message.body === body.text).length, 1);
    const sessions = await harness.middleware.store.listCustomerSessions('chatapp', 'cust-out-2');
    assert.equal(sessions.length, 1);
  });

  test('a customer with an open conversation keeps it: the agent joins it (a second task, routed to them) instead of opening another', async () => {
    const conversationSid = await sendFirstMessage(harness, { id: 'in-out-3', from: { id: 'cust-out-3', name: 'Eli' }, text: 'Hello?' });
    await eventually(async () => (await tasksOf(harness, conversationSid)).length === 1, 'the inbound task');
    const bob = await tokenOf(harness, 'bob');
    const response = await startConversation(harness, bob, {
      channelType: 'chatapp',
      customerId: 'cust-out-3',
      text: 'Bob here, taking over',
      requestId: 'req-out-0003',
    });
    assert.equal(response.status, 202);
    const joined = await eventually(async () => (await tasksOf(harness, conversationSid))[1], 'the task for bob');
    await assert.rejects(harness.control.accept(joined.sid, 'alice'), 'routed to bob only');
    await eventually(
      async () => (await conversationMessages(harness, conversationSid)).some((message) => message.body === 'Bob here, taking over'),
      'the message in the open conversation',
    );
    assert.equal((await harness.middleware.store.listCustomerSessions('chatapp', 'cust-out-3')).length, 1);
  });

  test('an interaction whose answer was lost is found, not created twice: no orphan conversation or task', async () => {
    const isInteractionCreate = (request: { method: string; uri: string }) => request.method === 'POST' && request.uri.endsWith('/flex-api/v1/Interactions');
    const before = harness.twilioRequests.filter(isInteractionCreate).length;
    harness.loseAnswers(1, isInteractionCreate);
    const alice = await tokenOf(harness, 'alice');
    const response = await startConversation(harness, alice, {
      channelType: 'chatapp',
      customerId: 'cust-out-4',
      text: 'We called, call us back',
      requestId: 'req-out-0004',
    });
    assert.equal(response.status, 202);
    const conversationSid = await openConversationOf(harness, 'cust-out-4');
    await eventually(
      async () => (await conversationMessages(harness, conversationSid)).some((message) => message.body === 'We called, call us back'),
      'the message posted',
    );
    await harness.sandbox.idle();
    const tasks = await tasksOf(harness, conversationSid);
    assert.equal(tasks.length, 1);
    assert.equal((tasks[0]!.attributes.conversations as Record<string, unknown>).initiated_by, 'agent');
    assert.equal((await harness.middleware.store.listCustomerSessions('chatapp', 'cust-out-4')).length, 1);
    assert.equal(harness.twilioRequests.filter(isInteractionCreate).length - before, 1, 'the retry looked the interaction up instead of creating another');
  });

  test('a crash between the conversation and the interaction: the restarted middleware resumes the session, no orphan', async () => {
    harness.sandbox.setFaults({ http: [{ match: { product: 'flex-api', method: 'POST', path: '/v1/Interactions' }, rate500: 1 }] });
    const alice = await tokenOf(harness, 'alice');
    const response = await startConversation(harness, alice, {
      channelType: 'chatapp',
      customerId: 'cust-out-7',
      text: 'About your order',
      requestId: 'req-out-0007',
    });
    assert.equal(response.status, 202);
    const recorded = await eventually(async () => {
      const session = await harness.middleware.store.findActiveSession('chatapp', 'cust-out-7');
      return session?.state === 'creating' ? session.resources.conversationSid : undefined;
    }, 'the conversation recorded, the interaction refused');
    await harness.restart();
    harness.sandbox.setFaults({});
    assert.equal(await openConversationOf(harness, 'cust-out-7'), recorded);
    await eventually(async () => (await conversationMessages(harness, recorded)).some((message) => message.body === 'About your order'), 'the message posted');
    // At the channel before the next test scripts the channel's answers: a delivery still on its way would take them.
    await eventually(() => harness.receiver.received.some((delivery) => delivery.body.text === 'About your order'), 'the message at the channel');
    await harness.sandbox.idle();
    const tasks = await tasksOf(harness, recorded);
    assert.equal(tasks.length, 1);
    assert.equal((tasks[0]!.attributes.conversations as Record<string, unknown>).initiated_by, 'agent');
    assert.equal((await harness.middleware.store.listCustomerSessions('chatapp', 'cust-out-7')).length, 1);
  });

  test("a webhook channel's refusal reaches the agent as a notice in the conversation and is kept as a dead letter", async () => {
    harness.receiver.failNext(1, 403, undefined, JSON.stringify({ error: { code: 'customer_unreachable', message: 'no such customer' } }));
    const alice = await tokenOf(harness, 'alice');
    const response = await startConversation(harness, alice, {
      channelType: 'chatapp',
      customerId: 'cust-out-6',
      text: 'Are you there?',
      requestId: 'req-out-0006',
    });
    assert.equal(response.status, 202);
    assert.match(((await response.json()) as { notice: string }).notice, /delivers it to its customer, or refuses it/);
    const conversationSid = await openConversationOf(harness, 'cust-out-6');
    const notice = await eventually(
      async () => (await conversationMessages(harness, conversationSid)).find((message) => message.attributes.systemNotice === 'message_not_delivered'),
      'the notice to the agent',
    );
    assert.equal(notice.body, 'Not delivered: Chat App refused this message (delivery URL answered 403 (customer_unreachable)). The customer did not get it.');
    // The notice is posted during the attempt; its outcome, the dead letter, is recorded after it.
    await eventually(
      async () => (await harness.middleware.store.listDeadLetters({ queue: 'to-channel' })).some((letter) => letter.reason.includes('customer_unreachable')),
      'the dead letter',
    );
  });

  test('refusals: a forged token, a channel without outbound, an unknown channel, a bad body', async () => {
    const alice = await tokenOf(harness, 'alice');
    const body = { channelType: 'chatapp', customerId: 'cust-out-5', text: 'hi', requestId: 'req-out-0005' };
    const forged = await startConversation(harness, `${alice.slice(0, -3)}abc`, body);
    assert.equal(forged.status, 401);
    const issue = async (extra: Record<string, unknown>) =>
      (
        (await (
          await fetch(`${harness.sandbox.url}/sandbox/flex-tokens`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ worker: 'alice', ...extra }),
          })
        ).json()) as { token: string }
      ).token;
    assert.equal((await startConversation(harness, await issue({ ttlSeconds: 0 }), body)).status, 401, 'expired');
    assert.equal((await startConversation(harness, await issue({ accountSid: 'AC0000000000000000000000000000ffff' }), body)).status, 401, 'other account');
    const webchat = await startConversation(harness, alice, { ...body, channelType: 'webchat' });
    assert.equal(webchat.status, 403);
    assert.equal(((await webchat.json()) as { error: { code: string } }).error.code, 'outbound_not_enabled');
    const unknown = await startConversation(harness, alice, { ...body, channelType: 'fax' });
    assert.equal(unknown.status, 404);
    const bad = await startConversation(harness, alice, { ...body, requestId: 'x' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { field: string } }).error.field, '/requestId');
    assert.equal(await harness.middleware.store.findActiveSession('chatapp', 'cust-out-5'), undefined);
  });
});
