import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import twilio from 'twilio';
import { control, eventually, routeByInteraction, startHarness, startReceiver } from './helpers.js';

interface TaskView {
  sid: string;
  assignmentStatus: string;
  attributes: Record<string, unknown>;
  taskChannelUniqueName: string;
  conversationSid: string | null;
  dateCreated: string;
}

const h = await startHarness();
const receiver = await startReceiver();
after(() => Promise.all([h.close(), receiver.close()]));

async function pendingTaskFor(key: 'conversationSid', sid: string): Promise<TaskView> {
  return eventually(async () => {
    const res = await control<{ tasks: TaskView[] }>(h.sandbox, 'GET', '/tasks?status=pending');
    return res.body.tasks.find((t) => t[key] === sid);
  });
}

describe('control API (the agent side)', () => {
  test('accept, reply as the agent (Source=SDK), complete: the conversation closes and its webhook fires', async () => {
    const { client, sandbox } = h;
    const conv = await client.conversations.v1.conversations.create({ friendlyName: 'control' });
    await client.conversations.v1.conversations(conv.sid).participants.create({ identity: 'customer-c' });
    await client.conversations.v1.conversations(conv.sid).webhooks.create({
      target: 'webhook',
      'configuration.url': `${receiver.url}/conv`,
      'configuration.filters': ['onMessageAdded', 'onParticipantAdded', 'onParticipantRemoved', 'onConversationStateUpdated'],
    });
    await routeByInteraction(h, conv.sid, { channelType: 'custom', customChannelType: 'demo' });
    const task = await pendingTaskFor('conversationSid', conv.sid);
    assert.equal(task.taskChannelUniqueName, 'chat');
    assert.equal(task.attributes.customChannelType, 'demo');
    assert.ok(task.dateCreated);

    const accepted = await control<TaskView>(sandbox, 'POST', `/tasks/${task.sid}/accept`, { agent: 'alice' });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.assignmentStatus, 'assigned');
    const joined = await receiver.waitFor((r) => r.path === '/conv' && r.params.EventType === 'onParticipantAdded' && r.params.Identity === 'alice');
    assert.ok(twilio.validateRequest(sandbox.authToken, String(joined.headers['x-twilio-signature']), joined.url, joined.params));
    const participants = await client.conversations.v1.conversations(conv.sid).participants.list();
    assert.deepEqual(participants.map((p) => p.identity).sort(), ['alice', 'customer-c']);

    await client.conversations.v1.conversations(conv.sid).messages.create({ author: 'customer-c', body: 'hello agent', xTwilioWebhookEnabled: 'true' });
    const reply = await control<{ sid: string; source: string }>(sandbox, 'POST', `/tasks/${task.sid}/messages`, {
      body: 'Hi, Alice here',
    });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.source, 'SDK');
    const hook = await receiver.waitFor((r) => r.path === '/conv' && r.params.EventType === 'onMessageAdded' && r.params.Author === 'alice');
    assert.equal(hook.params.Source, 'SDK');
    assert.equal(hook.params.Body, 'Hi, Alice here');
    assert.equal(hook.params.MessageSid, reply.body.sid);
    assert.equal(hook.params.ClientIdentity, 'alice');
    assert.ok(twilio.validateRequest(sandbox.authToken, String(hook.headers['x-twilio-signature']), hook.url, hook.params));

    const transcript = await control<{ messages: Array<{ author: string; body: string; source: string }> }>(sandbox, 'GET', `/tasks/${task.sid}/messages`);
    assert.deepEqual(
      transcript.body.messages.map((m) => [m.author, m.body, m.source]),
      [
        ['customer-c', 'hello agent', 'API'],
        ['alice', 'Hi, Alice here', 'SDK'],
      ],
    );

    const done = await control<TaskView>(sandbox, 'POST', `/tasks/${task.sid}/complete`);
    assert.equal(done.status, 200);
    assert.equal(done.body.assignmentStatus, 'completed');
    const state = await receiver.waitFor((r) => r.path === '/conv' && r.params.EventType === 'onConversationStateUpdated');
    assert.equal(state.params.StateFrom, 'active');
    assert.equal(state.params.StateTo, 'closed');
    assert.ok(twilio.validateRequest(sandbox.authToken, String(state.headers['x-twilio-signature']), state.url, state.params));
    await receiver.waitFor((r) => r.path === '/conv' && r.params.EventType === 'onParticipantRemoved' && r.params.Identity === 'alice');
    assert.equal((await client.conversations.v1.conversations(conv.sid).fetch()).state, 'closed');
    const fetched = await client.taskrouter.v1.workspaces(sandbox.seeded.workspaceSid).tasks(task.sid).fetch();
    assert.equal(fetched.assignmentStatus, 'completed');

    const completed = await control<{ tasks: TaskView[] }>(sandbox, 'GET', '/tasks?status=completed');
    assert.ok(completed.body.tasks.some((t) => t.sid === task.sid));

    // A closed conversation takes no more messages (Twilio error 50377).
    await assert.rejects(
      client.conversations.v1.conversations(conv.sid).messages.create({ author: 'customer-c', body: 'late' }),
      (err: { status: number; code: number }) => err.status === 400 && err.code === 50377,
    );
  });

  test('control API errors use the Twilio error shape', async () => {
    const missing = await control<{ code: number; status: number }>(h.sandbox, 'POST', '/tasks/WT00000000000000000000000000000000/accept', {});
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 20404);
    const bad = await control<{ status: number }>(h.sandbox, 'GET', '/tasks?status=bogus');
    assert.equal(bad.status, 400);
  });

  test('GET /sandbox/idle answers once the webhooks in flight are delivered', async () => {
    // A receiver that takes 300 ms to answer, so the delivery is still in flight when the message is created.
    const slow = http.createServer((req, res) => {
      req.resume();
      setTimeout(() => res.end(), 300);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`;
      const conversations = h.client.conversations.v1.conversations;
      const conv = await conversations.create({ friendlyName: 'idle' });
      await conversations(conv.sid).webhooks.create({ target: 'webhook', 'configuration.url': url, 'configuration.filters': ['onMessageAdded'] });
      await conversations(conv.sid).messages.create({ author: 'someone', body: 'hello' });
      const delivery = () => h.sandbox.webhookDeliveries().find((d) => d.params.ConversationSid === conv.sid);
      assert.equal(delivery()?.outcome, 'pending');
      assert.deepEqual(await control(h.sandbox, 'GET', '/idle'), { status: 200, body: { idle: true } });
      assert.equal(delivery()?.outcome, 'delivered');
    } finally {
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});
