import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import twilio from 'twilio';
import {
  control,
  conversationWithWebhook,
  createFlexChannel,
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
const LEGACY_CUSTOMER = { identity: 'legacy-customer', name: 'Legacy Customer' };
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

describe('legacy custom-channel flow (Flex Flow + Flex channel + Chat v2)', () => {
  test('Flex Flow with task integration, Flex channel, channel webhook, message', async () => {
    const { client, sandbox } = h;
    const flexFlow = await createTaskFlexFlow(h, 'Custom channel (legacy)', { longLived: false });
    assert.match(flexFlow.sid, /^FO[0-9a-f]{32}$/);

    const channel = await createFlexChannel(h, flexFlow.sid, LEGACY_CUSTOMER, 'Legacy chat', { target: 'legacy-customer' });
    assert.match(channel.sid, /^CH[0-9a-f]{32}$/);
    assert.match(channel.userSid, /^US[0-9a-f]{32}$/);

    // Same SID as a Chat v2 channel, with the identity as a member.
    const chat = await client.chat.v2.services(sandbox.seeded.chatServiceSid).channels(channel.sid).fetch();
    assert.equal(chat.sid, channel.sid);
    assert.equal(JSON.parse(chat.attributes).status, 'ACTIVE');
    const members = await client.chat.v2.services(sandbox.seeded.chatServiceSid).channels(channel.sid).members.list();
    assert.deepEqual(
      members.map((m) => m.identity),
      ['legacy-customer'],
    );

    // The same identity on the same Flex Flow gets its open channel back.
    const again = await createFlexChannel(h, flexFlow.sid, LEGACY_CUSTOMER, 'Legacy chat');
    assert.equal(again.sid, channel.sid);

    const webhook = await client.chat.v2
      .services(sandbox.seeded.chatServiceSid)
      .channels(channel.sid)
      .webhooks.create({
        type: 'webhook',
        'configuration.url': `${receiver.url}/legacy`,
        'configuration.method': 'POST',
        'configuration.filters': ['onMessageSent', 'onChannelUpdated'],
      });
    assert.match(webhook.sid, /^WH[0-9a-f]{32}$/);

    const message = await client.chat.v2.services(sandbox.seeded.chatServiceSid).channels(channel.sid).messages.create({
      from: 'legacy-customer',
      body: 'Hello from the legacy channel',
      xTwilioWebhookEnabled: 'true',
    });
    const hook = await receiver.waitFor((r) => r.path === '/legacy' && r.params.EventType === 'onMessageSent');
    assertSigned(hook);
    assert.equal(hook.params.ChannelSid, channel.sid);
    assert.equal(hook.params.MessageSid, message.sid);
    assert.equal(hook.params.Body, 'Hello from the legacy channel');
    assert.equal(hook.params.From, 'legacy-customer');
    assert.equal(hook.params.Source, 'API');
    assert.equal(hook.params.InstanceSid, sandbox.seeded.chatServiceSid);

    const task = await findTask((a) => a.channelSid === channel.sid);
    const attrs = JSON.parse(task.attributes) as Record<string, unknown>;
    assert.equal(attrs.channelType, 'custom');
    assert.equal(attrs.name, 'Legacy Customer');
    assert.equal(task.taskChannelUniqueName, 'chat');
    const flexChannel = await client.flexApi.v1.channel(channel.sid).fetch();
    assert.equal(flexChannel.taskSid, task.sid);
  });

  test('Flex Flow with studio integration routes through the flow on the first message', async () => {
    const { client, sandbox } = h;
    const flow = await publishSendToFlexFlow(h, 'legacy flow');
    const flexFlow = await client.flexApi.v1.flexFlow.create({
      friendlyName: 'Custom channel (legacy, studio)',
      chatServiceSid: sandbox.seeded.chatServiceSid,
      channelType: 'custom',
      integrationType: 'studio',
      'integration.flowSid': flow.sid,
    });
    const channel = await createFlexChannel(h, flexFlow.sid, { identity: 'studio-customer', name: 'Studio Customer' }, 'Studio chat');
    await client.chat.v2.services(sandbox.seeded.chatServiceSid).channels(channel.sid).messages.create({
      from: 'studio-customer',
      body: 'routed by studio',
      xTwilioWebhookEnabled: 'true',
    });
    const task = await findTask((a) => a.channelSid === channel.sid);
    const attrs = JSON.parse(task.attributes) as Record<string, unknown>;
    assert.equal(attrs.name, 'studio-customer');
    assert.equal(attrs.firstMessage, 'routed by studio');
    assert.equal(attrs.customChannelType, 'demo-chat');
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
