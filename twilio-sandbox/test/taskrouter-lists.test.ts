import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startHarness } from './helpers.js';

const h = await startHarness();
after(() => h.close());
const workspace = h.client.taskrouter.v1.workspaces(h.sandbox.seeded.workspaceSid);

test('workers are listed whole, by FriendlyName and by Available, and fetched by SID', async () => {
  const names = (workers: Array<{ friendlyName: string }>) => workers.map((w) => w.friendlyName).sort();
  assert.deepEqual(names(await workspace.workers.list()), ['alice', 'bob', 'carol']);
  const [bob] = await workspace.workers.list({ friendlyName: 'bob' });
  assert.deepEqual(names([bob!]), ['bob']);
  assert.equal((await workspace.workers(bob!.sid).fetch()).friendlyName, 'bob');
  assert.deepEqual(names(await workspace.workers.list({ available: 'true' })), ['alice', 'bob', 'carol']);
  assert.deepEqual(await workspace.workers.list({ available: 'false' }), []);
  assert.deepEqual(await workspace.workers.list({ friendlyName: 'nobody' }), []);
});

test('task queues and workflows are listed by FriendlyName', async () => {
  const [support] = await workspace.taskQueues.list({ friendlyName: 'Support' });
  assert.equal(support?.friendlyName, 'Support');
  assert.deepEqual(await workspace.taskQueues.list({ friendlyName: 'nobody' }), []);
  const workflows = await workspace.workflows.list();
  assert.ok(workflows.some((w) => w.sid === h.sandbox.seeded.workflowSid));
  const [first] = workflows;
  assert.deepEqual(
    (await workspace.workflows.list({ friendlyName: first!.friendlyName })).map((w) => w.sid),
    workflows.filter((w) => w.friendlyName === first!.friendlyName).map((w) => w.sid),
  );
  assert.deepEqual(await workspace.workflows.list({ friendlyName: 'nobody' }), []);
});
