/** An agent-initiated interaction (Flex outbound): its task is outbound and only the named worker may take it. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSandbox, type Sandbox } from '../src/index.js';
import { twilioClientFor } from '../src/twilio-client.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
after(() => sandbox.close());

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}/sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('initiated_by agent with a worker_sid: the task says outbound and is reserved for that worker', async () => {
  const client = twilioClientFor(sandbox);
  const { workspaceSid, workflowSid } = sandbox.seeded;
  const alice = (await client.taskrouter.v1.workspaces(workspaceSid).workers.list({ friendlyName: 'alice' }))[0]!.sid;
  const conv = await client.conversations.v1.conversations.create({});
  await client.flexApi.v1.interaction.create({
    channel: { type: 'chat', initiated_by: 'agent', properties: { media_channel_sid: conv.sid } },
    routing: { properties: { workspace_sid: workspaceSid, workflow_sid: workflowSid, task_channel_unique_name: 'chat', worker_sid: alice, attributes: {} } },
  });
  await sandbox.idle();
  const tasks = (await control('GET', '/tasks')).body.tasks as Array<{ sid: string; conversationSid: string; attributes: Record<string, unknown> }>;
  const task = tasks.find((each) => each.conversationSid === conv.sid)!;
  assert.equal(task.attributes.direction, 'outbound');
  assert.equal(task.attributes.initiatedBy, 'agent');
  assert.equal((task.attributes.conversations as Record<string, unknown>).initiated_by, 'agent');
  assert.equal((await control('POST', `/tasks/${task.sid}/accept`, { agent: 'bob' })).status, 409);
  assert.equal((await control('POST', `/tasks/${task.sid}/accept`, { agent: 'alice' })).status, 200);
});
