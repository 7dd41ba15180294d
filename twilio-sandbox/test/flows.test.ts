import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import twilio from 'twilio';
import {
  control,
  conversationWithWebhook,
  createTaskFlexFlow,
  eventually,
  publishSendToFlexFlow,
  routeByInteraction,
  startHarness,
  startReceiver,
  type ReceivedWebhook,
} from './helpers.js';

const h = await startHarness();
const receiver = await startReceiver();
after(() => Promise.all([h.close(), receiver.close()]));

function assertSigned(hook: ReceivedWebhook): void {
  const signature = hook.headers['x-twilio-signature'];
  assert.equal(typeof signature, 'string', 'X-Twilio-Signature header');
  assert.ok(twilio.validateRequest(h.sandbox.authToken, signature as string, hook.url, hook.params), `signature of ${hook.params.EventType} validates`);
  assert.equal(twilio.validateRequest('wrong-token', signature as string, hook.url, hook.params), false);
  assert.match(String(hook.headers['i-twilio-idempotency-token']), /.+/);
  assert.match(String(hook.headers['content-type']), /^application\/x-www-form-urlencoded/);
}

async function findTask(predicate: (attrs: Record<string, unknown>) => boolean) {
  return eventually(async () => {
    const tasks = await h.client.taskrouter.v1.workspaces(h.sandbox.seeded.workspaceSid).tasks.list();
    return tasks.find((t) => predicate(JSON.parse(t.attributes) as Record<string, unknown>));
  });
}

/** The conversation's tasks once the stand-in has nothing left to do (so a task that is not coming has not). */
async function settledTasksOf(conversationSid: string) {
  await h.sandbox.idle();
  const tasks = await h.client.taskrouter.v1.workspaces(h.sandbox.seeded.workspaceSid).tasks.list();
  return tasks.filter((t) => JSON.parse(t.attributes).conversationSid === conversationSid);
}

describe('modern custom-channel flow (Conversations + Studio + Interactions)', () => {
  test('conversation, participant, scoped webhooks (webhook + studio), message with X-Twilio-Webhook-Enabled', async () => {
    const { client, sandbox } = h;
    const flow = await publishSendToFlexFlow(h, 'Custom channel messaging flow');
    assert.match(flow.sid, /^FW[0-9a-f]{32}$/);

    const conv = await client.conversations.v1.conversations.create({
      friendlyName: 'Chat with customer-1',
      attributes: JSON.stringify({ channel: 'demo' }),
      'timers.inactive': 'PT1H',
      'timers.closed': 'P1D',
    });
    assert.match(conv.sid, /^CH[0-9a-f]{32}$/);
    assert.equal(conv.state, 'active');
    assert.equal(conv.chatServiceSid, sandbox.seeded.conversationsServiceSid);
    assert.ok(conv.timers && (conv.timers as { date_closed?: string }).date_closed, 'timers.date_closed set');
    assert.ok(conv.url.startsWith(`${sandbox.url}/conversations/v1/Conversations/`));

    const hook = await client.conversations.v1.conversations(conv.sid).webhooks.create({
      target: 'webhook',
      'configuration.url': `${receiver.url}/modern`,
      'configuration.method': 'post',
      'configuration.filters': ['onMessageAdded', 'onParticipantAdded', 'onConversationStateUpdated'],
    });
    assert.deepEqual(hook.configuration.filters, ['onMessageAdded', 'onParticipantAdded', 'onConversationStateUpdated']);
    const studio = await client.conversations.v1.conversations(conv.sid).webhooks.create({
      target: 'studio',
      'configuration.flowSid': flow.sid,
    });
    assert.equal(studio.target, 'studio');

    const participant = await client.conversations.v1.conversations(conv.sid).participants.create({ identity: 'customer-1' });
    assert.match(participant.sid, /^MB[0-9a-f]{32}$/);
    const added = await receiver.waitFor((r) => r.path === '/modern' && r.params.EventType === 'onParticipantAdded');
    assert.equal(added.params.Identity, 'customer-1');
    assert.equal(added.params.ParticipantSid, participant.sid);
    assertSigned(added);

    const message = await client.conversations.v1.conversations(conv.sid).messages.create({
      author: 'customer-1',
      body: 'Hello, I need help',
      attributes: JSON.stringify({ origin: 'widget' }),
      xTwilioWebhookEnabled: 'true',
    });
    assert.equal(message.index, 0);
    assert.equal(message.participantSid, participant.sid);

    const msgHook = await receiver.waitFor((r) => r.path === '/modern' && r.params.EventType === 'onMessageAdded');
    assertSigned(msgHook);
    assert.equal(msgHook.params.ConversationSid, conv.sid);
    assert.equal(msgHook.params.MessageSid, message.sid);
    assert.equal(msgHook.params.Index, '0');
    assert.equal(msgHook.params.Author, 'customer-1');
    assert.equal(msgHook.params.Body, 'Hello, I need help');
    assert.equal(msgHook.params.Source, 'API');
    assert.equal(msgHook.params.Attributes, JSON.stringify({ origin: 'widget' }));
    assert.equal(msgHook.params.AccountSid, sandbox.accountSid);
    assert.equal(msgHook.params.ChatServiceSid, sandbox.seeded.conversationsServiceSid);
    assert.equal(msgHook.params.WebhookSid, hook.sid);
    assert.ok(msgHook.params.DateCreated);

    // The studio webhook ran the flow: Send to Flex created the task in the chat channel.
    const task = await findTask((a) => a.conversationSid === conv.sid);
    const attrs = JSON.parse(task.attributes) as Record<string, unknown>;
    assert.equal(task.taskChannelUniqueName, 'chat');
    assert.equal(task.workflowSid, sandbox.seeded.workflowSid);
    assert.equal(task.assignmentStatus, 'pending');
    assert.equal(attrs.name, 'customer-1');
    assert.equal(attrs.channelType, 'custom');
    assert.equal(attrs.customChannelType, 'demo-chat');
    assert.equal(attrs.firstMessage, 'Hello, I need help');
    assert.match(String(attrs.flexInteractionSid), /^KD[0-9a-f]{32}$/);
    assert.match(String(attrs.flexInteractionChannelSid), /^UO[0-9a-f]{32}$/);

    // A second message does not start the flow again.
    await client.conversations.v1.conversations(conv.sid).messages.create({ author: 'customer-1', body: 'still there?', xTwilioWebhookEnabled: 'true' });
    assert.equal((await settledTasksOf(conv.sid)).length, 1);
  });

  test('a REST message without X-Twilio-Webhook-Enabled fires scoped webhooks but does not start Studio', async () => {
    const { client } = h;
    const flow = await publishSendToFlexFlow(h, 'flow 2');
    const conv = await conversationWithWebhook(h, { friendlyName: 'no header', url: `${receiver.url}/noheader`, filters: ['onMessageAdded'] });
    await client.conversations.v1.conversations(conv.sid).webhooks.create({ target: 'studio', 'configuration.flowSid': flow.sid });
    await client.conversations.v1.conversations(conv.sid).messages.create({ author: 'bot', body: 'echo' });
    const hook = await receiver.waitFor((r) => r.path === '/noheader');
    assert.equal(hook.params.Source, 'API');
    assert.equal((await settledTasksOf(conv.sid)).length, 0);
  });

  test('Interactions API creates the task asynchronously; closing the interaction channel closes the conversation', async () => {
    const { client, sandbox } = h;
    const conv = await client.conversations.v1.conversations.create({
      friendlyName: 'Interaction chat',
      'timers.closed': 'P1D',
    });
    await client.conversations.v1.conversations(conv.sid).participants.create({ identity: 'customer-2' });
    await client.conversations.v1.conversations(conv.sid).webhooks.create({
      target: 'webhook',
      'configuration.url': `${receiver.url}/interaction`,
      'configuration.filters': ['onMessageAdded', 'onConversationStateUpdated'],
    });
    const interaction = await routeByInteraction(h, conv.sid, {
      name: 'customer-2',
      channelType: 'custom',
      customChannelType: 'demo-chat',
      from: 'customer-2',
    });
    assert.match(interaction.sid, /^KD[0-9a-f]{32}$/);
    const channelSid = (interaction.channel as { sid: string }).sid;
    assert.match(channelSid, /^UO[0-9a-f]{32}$/);

    const task = await findTask((a) => a.conversationSid === conv.sid);
    const attrs = JSON.parse(task.attributes) as Record<string, unknown>;
    assert.equal(attrs.flexInteractionSid, interaction.sid);
    assert.equal(attrs.flexInteractionChannelSid, channelSid);
    assert.equal(attrs.customChannelType, 'demo-chat');
    assert.equal(attrs.channelType, 'custom');
    assert.equal(task.taskChannelUniqueName, 'chat');

    await client.conversations.v1.conversations(conv.sid).messages.create({
      author: 'customer-2',
      body: 'hi via interactions',
      xTwilioWebhookEnabled: 'true',
    });
    const msg = await receiver.waitFor((r) => r.path === '/interaction' && r.params.EventType === 'onMessageAdded');
    assertSigned(msg);

    const closed = await client.flexApi.v1.interaction(interaction.sid).channels(channelSid).update({ status: 'closed' });
    assert.equal(closed.status, 'closed');
    const state = await receiver.waitFor((r) => r.path === '/interaction' && r.params.EventType === 'onConversationStateUpdated');
    assertSigned(state);
    assert.equal(state.params.StateFrom, 'active');
    assert.equal(state.params.StateTo, 'closed');
    assert.equal((await client.conversations.v1.conversations(conv.sid).fetch()).state, 'closed');
    assert.equal((await client.taskrouter.v1.workspaces(sandbox.seeded.workspaceSid).tasks(task.sid).fetch()).assignmentStatus, 'canceled');
  });
});

describe('a legacy Flex Flow, as an account that used the original custom-chat pattern has one', () => {
  test('is created and listed (nothing else of it is served: its Programmable Chat channels are gone)', async () => {
    const created = await createTaskFlexFlow(h, 'Custom channel (legacy)');
    assert.match(created.sid, /^FO[0-9a-f]{32}$/);
    const listed = (await h.client.flexApi.v1.flexFlow.list()).find((flexFlow) => flexFlow.sid === created.sid);
    assert.equal(listed?.channelType, 'custom');
    assert.equal(listed?.integrationType, 'task');
    assert.deepEqual(
      (await h.client.flexApi.v1.flexFlow.list({ friendlyName: 'Custom channel (legacy)' })).map((flexFlow) => flexFlow.sid),
      [created.sid],
    );
    await assert.rejects(h.client.flexApi.v1.flexFlow(created.sid).fetch(), { status: 404 });
  });
});

describe('control API shortcut', () => {
  test('GET /sandbox reports the account and seeded SIDs', async () => {
    const res = await control<{ accountSid: string; seeded: Record<string, string> }>(h.sandbox, 'GET', '/');
    assert.equal(res.status, 200);
    assert.equal(res.body.accountSid, h.sandbox.accountSid);
    assert.deepEqual(res.body.seeded, h.sandbox.seeded);
  });
});
