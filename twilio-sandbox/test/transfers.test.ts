import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { control, eventually, routeByInteraction, startHarness, startReceiver } from './helpers.js';

interface TaskView {
  sid: string;
  assignmentStatus: string;
  attributes: Record<string, unknown> & { conversations?: Record<string, unknown>; transferMeta?: Record<string, unknown> };
  conversationSid: string | null;
  agent: string | null;
  workerSid: string | null;
  taskQueueSid: string | null;
  transferredFrom: string | null;
}

const h = await startHarness();
const receiver = await startReceiver();
after(() => Promise.all([h.close(), receiver.close()]));

const task = async (sid: string) => (await control<TaskView>(h.sandbox, 'GET', `/tasks/${sid}`)).body;
const { workers } = (await control<{ workers: Array<{ sid: string; friendlyName: string; available: boolean }> }>(h.sandbox, 'GET', '/workers')).body;
const { queues } = (await control<{ queues: Array<{ sid: string; friendlyName: string }> }>(h.sandbox, 'GET', '/queues')).body;
const workerSid = (name: string) => workers.find((w) => w.friendlyName === name)!.sid;
const supportQueue = queues.find((q) => q.friendlyName === 'Support')!.sid;

/** A conversation routed through an Interaction, its pending task, and its scoped webhook at `path`. */
async function routedConversation(path: string) {
  const { client, sandbox } = h;
  const conv = await client.conversations.v1.conversations.create({ friendlyName: path });
  await client.conversations.v1.conversations(conv.sid).participants.create({ identity: `customer${path}` });
  await client.conversations.v1.conversations(conv.sid).webhooks.create({
    target: 'webhook',
    'configuration.url': `${receiver.url}${path}`,
    'configuration.filters': ['onParticipantAdded', 'onParticipantRemoved', 'onParticipantUpdated', 'onConversationStateUpdated'],
  });
  const interaction = await routeByInteraction(h, conv.sid, {
    channelType: 'web',
    customChannelType: 'webchat',
    name: 'Ada',
    conversations: { communication_channel: 'Web chat' },
  });
  const first = await eventually(async () =>
    (await control<{ tasks: TaskView[] }>(sandbox, 'GET', '/tasks?status=pending')).body.tasks.find((t) => t.conversationSid === conv.sid),
  );
  const channelSid = String(first.attributes.flexInteractionChannelSid);
  return { conv, interaction, channel: client.flexApi.v1.interaction(interaction.sid).channels(channelSid), first };
}

const identities = async (convSid: string) => (await h.client.conversations.v1.conversations(convSid).participants.list()).map((p) => p.identity).sort();

describe('workers and queues', () => {
  test('the seeded agents are TaskRouter workers, and the control API lists them and the queues', async () => {
    const listed = await h.client.taskrouter.v1.workspaces(h.sandbox.seeded.workspaceSid).workers.list();
    assert.deepEqual(listed.map((w) => w.friendlyName).sort(), ['alice', 'bob', 'carol']);
    assert.deepEqual(
      workers.map((w) => w.available),
      [true, true, true],
    );
    assert.match(workers[0]!.sid, /^WK[0-9a-f]{32}$/);
    const taskQueues = await h.client.taskrouter.v1.workspaces(h.sandbox.seeded.workspaceSid).taskQueues.list();
    assert.deepEqual(taskQueues.map((q) => q.friendlyName).sort(), ['Everyone', 'Support']);
  });
});

describe('transfers (Conversations)', () => {
  test('a cold transfer to an agent: a new task with every attribute, the first agent in wrap-up, the conversation open until the second ends it', async () => {
    const { conv, channel, first } = await routedConversation('/cold');
    await control(h.sandbox, 'POST', `/tasks/${first.sid}/accept`, { agent: 'alice' });
    const participants = await channel.participants.list();
    assert.deepEqual(participants.map((p) => p.type).sort(), ['agent', 'customer']);
    assert.equal((participants.find((p) => p.type === 'agent')!.routingProperties as { task_sid: string }).task_sid, first.sid);

    const moved = await control<TaskView>(h.sandbox, 'POST', `/tasks/${first.sid}/transfer`, { targetSid: workerSid('bob'), mode: 'COLD' });
    assert.equal(moved.status, 201);
    const second = moved.body;
    assert.equal(second.assignmentStatus, 'pending');
    assert.equal(second.transferredFrom, first.sid);
    assert.equal(second.conversationSid, conv.sid);
    for (const key of ['channelType', 'customChannelType', 'name', 'conversationSid', 'flexInteractionSid'])
      assert.equal(second.attributes[key], first.attributes[key], key);
    assert.equal(second.attributes.conversations!.conversation_id, first.attributes.conversations!.conversation_id);
    assert.equal(second.attributes.conversations!.communication_channel, 'Web chat');
    assert.equal(second.attributes.transferTargetType, 'worker');
    assert.deepEqual(second.attributes.transferMeta, { originalTask: first.sid, originalWorker: workerSid('alice'), mode: 'COLD' });

    assert.equal((await task(first.sid)).assignmentStatus, 'wrapping');
    await receiver.waitFor((r) => r.path === '/cold' && r.params.EventType === 'onParticipantRemoved' && r.params.Identity === 'alice');
    assert.equal((await h.client.conversations.v1.conversations(conv.sid).fetch()).state, 'active');

    const wrongAgent = await control<{ code: number }>(h.sandbox, 'POST', `/tasks/${second.sid}/accept`, { agent: 'carol' });
    assert.equal(wrongAgent.status, 409);
    assert.equal((await control<TaskView>(h.sandbox, 'POST', `/tasks/${second.sid}/accept`, { agent: workerSid('bob') })).body.agent, 'bob');
    assert.deepEqual(await identities(conv.sid), ['bob', 'customer/cold']);
    await control(h.sandbox, 'POST', `/tasks/${first.sid}/complete`);
    assert.equal((await h.client.conversations.v1.conversations(conv.sid).fetch()).state, 'active');

    assert.equal((await control<TaskView>(h.sandbox, 'POST', `/tasks/${second.sid}/wrapup`)).body.assignmentStatus, 'wrapping');
    assert.equal((await h.client.conversations.v1.conversations(conv.sid).fetch()).state, 'closed');
    assert.equal((await control<TaskView>(h.sandbox, 'POST', `/tasks/${second.sid}/complete`)).body.assignmentStatus, 'completed');
  });

  test('a warm transfer to a queue through the Transfers resource: the first agent stays until the second accepts', async () => {
    const { conv, channel, first } = await routedConversation('/warm');
    await control(h.sandbox, 'POST', `/tasks/${first.sid}/accept`, { agent: 'alice' });
    const from = (await channel.participants.list()).find((p) => p.type === 'agent')!;
    const transfer = await channel.transfers.create({ from: from.sid, to: supportQueue, type: 'warm' });
    assert.match(transfer.sid, /^UX[0-9a-f]{32}$/);
    assert.equal(transfer.status, 'active');
    const second = await eventually(async () =>
      (await control<{ tasks: TaskView[] }>(h.sandbox, 'GET', '/tasks?status=pending')).body.tasks.find((t) => t.transferredFrom === first.sid),
    );
    assert.equal(second.taskQueueSid, supportQueue);
    assert.equal((await task(first.sid)).assignmentStatus, 'assigned');

    await control(h.sandbox, 'POST', `/tasks/${second.sid}/accept`, { agent: 'carol' });
    assert.equal((await task(first.sid)).assignmentStatus, 'wrapping');
    assert.deepEqual(await identities(conv.sid), ['carol', 'customer/warm']);
    assert.equal((await channel.transfers(transfer.sid).fetch()).status, 'completed');
  });

  test('an invite and the first agent participant set to wrapup, as open-source Flex plugins transfer', async () => {
    const { conv, channel, first } = await routedConversation('/invite');
    await control(h.sandbox, 'POST', `/tasks/${first.sid}/accept`, { agent: 'alice' });
    const routing = {
      properties: {
        workspace_sid: h.sandbox.seeded.workspaceSid,
        workflow_sid: h.sandbox.seeded.workflowSid,
        task_channel_unique_name: 'chat',
        attributes: { ...first.attributes, transferTargetType: 'queue' },
        queue_sid: supportQueue,
      },
    };
    const invite = await channel.invites.create({ routing });
    assert.match(invite.sid, /^KG[0-9a-f]{32}$/);
    assert.equal((await channel.invites.list()).length, 1);
    const agent = (await channel.participants.list()).find((p) => p.type === 'agent')!;
    await channel.participants(agent.sid).update({ status: 'wrapup' });
    assert.equal((await task(first.sid)).assignmentStatus, 'wrapping');
    assert.deepEqual(await identities(conv.sid), ['customer/invite']);
    assert.equal((await h.client.conversations.v1.conversations(conv.sid).fetch()).state, 'active');
    const pending = (await control<{ tasks: TaskView[] }>(h.sandbox, 'GET', '/tasks?status=pending')).body.tasks.filter((t) => t.conversationSid === conv.sid);
    assert.equal(pending.length, 1);
  });

  test('the worker a transfer targets rejects it: the task is canceled, the transfer failed, the first agent keeps the chat', async () => {
    const { conv, channel, first } = await routedConversation('/reject');
    await control(h.sandbox, 'POST', `/tasks/${first.sid}/accept`, { agent: 'alice' });
    const from = (await channel.participants.list()).find((p) => p.type === 'agent')!;
    const transfer = await channel.transfers.create({ from: from.sid, to: workerSid('bob'), type: 'warm' });
    const second = await eventually(async () =>
      (await control<{ tasks: TaskView[] }>(h.sandbox, 'GET', '/tasks?status=pending')).body.tasks.find((t) => t.transferredFrom === first.sid),
    );
    assert.equal((await control<TaskView>(h.sandbox, 'POST', `/tasks/${second.sid}/reject`, { agent: 'bob' })).body.assignmentStatus, 'canceled');
    assert.equal((await channel.transfers(transfer.sid).fetch()).status, 'failed');
    assert.equal((await task(first.sid)).assignmentStatus, 'assigned');
    assert.deepEqual(await identities(conv.sid), ['alice', 'customer/reject']);
  });

  test('a reject by anyone else leaves the task pending for the next agent', async () => {
    const { first } = await routedConversation('/reject-any');
    assert.equal((await control<TaskView>(h.sandbox, 'POST', `/tasks/${first.sid}/reject`, { agent: 'carol' })).body.assignmentStatus, 'pending');
    assert.equal((await control<TaskView>(h.sandbox, 'POST', `/tasks/${first.sid}/accept`, { agent: 'bob' })).body.assignmentStatus, 'assigned');
  });

  test('bad transfer requests are 400s naming the problem', async () => {
    const { first } = await routedConversation('/bad');
    await control(h.sandbox, 'POST', `/tasks/${first.sid}/accept`, { agent: 'alice' });
    const noTarget = await control<{ message: string }>(h.sandbox, 'POST', `/tasks/${first.sid}/transfer`, { mode: 'COLD' });
    assert.equal(noTarget.status, 400);
    assert.match(noTarget.body.message, /targetSid/);
    const badMode = await control<{ message: string }>(h.sandbox, 'POST', `/tasks/${first.sid}/transfer`, { targetSid: workerSid('bob'), mode: 'LUKEWARM' });
    assert.match(badMode.body.message, /mode/);
    const self = await control<{ message: string }>(h.sandbox, 'POST', `/tasks/${first.sid}/transfer`, { targetSid: workerSid('alice') });
    assert.equal(self.status, 400);
  });
});

describe('read horizons', () => {
  test('the agent reads: the participant LastReadMessageIndex moves and onParticipantUpdated carries it', async () => {
    const { conv, first } = await routedConversation('/read');
    await control(h.sandbox, 'POST', `/tasks/${first.sid}/accept`, { agent: 'alice' });
    await h.client.conversations.v1.conversations(conv.sid).messages.create({ author: 'customer/read', body: 'one' });
    await h.client.conversations.v1.conversations(conv.sid).messages.create({ author: 'customer/read', body: 'two' });
    const read = await control<{ lastReadMessageIndex: number }>(h.sandbox, 'POST', `/tasks/${first.sid}/read`);
    assert.equal(read.body.lastReadMessageIndex, 1);
    const hook = await receiver.waitFor((r) => r.path === '/read' && r.params.EventType === 'onParticipantUpdated' && r.params.Identity === 'alice');
    assert.equal(hook.params.LastReadMessageIndex, '1');
    assert.equal(hook.params.Source, 'SDK');

    const customerSid = (await h.client.conversations.v1.conversations(conv.sid).participants.list()).find((p) => p.identity === 'customer/read')!.sid;
    await h.client.conversations.v1.conversations(conv.sid).participants(customerSid).update({ lastReadMessageIndex: 0 });
    const customer = await receiver.waitFor(
      (r) => r.path === '/read' && r.params.EventType === 'onParticipantUpdated' && r.params.Identity === 'customer/read',
    );
    assert.equal(customer.params.LastReadMessageIndex, '0');
    const horizons = (
      await control<{ readHorizons: Array<{ identity: string; lastReadMessageIndex: number | null }> }>(h.sandbox, 'GET', `/tasks/${first.sid}/messages`)
    ).body.readHorizons;
    assert.deepEqual(
      horizons.sort((a, b) => a.identity.localeCompare(b.identity)),
      [
        { identity: 'alice', lastReadMessageIndex: 1 },
        { identity: 'customer/read', lastReadMessageIndex: 0 },
      ],
    );
  });
});
