import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { startSandbox, type Sandbox } from '@custom-channels/twilio-sandbox';
import { registerControlProxy } from '../src/control-proxy.js';

/** The agent view's API over the real stand-in: what it checks itself, and how it passes the stand-in's answers on. */

let sandbox: Sandbox;
let app: FastifyInstance;
const MISSING_TASK = `WT${'0'.repeat(32)}`;

before(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', logger: false });
  app = Fastify({ logger: false });
  registerControlProxy(app, sandbox.url);
  await app.ready();
});

after(async () => {
  await app?.close();
  await sandbox?.close();
});

const post = (url: string, payload: unknown = {}) => app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });

test('a request that is not a task SID or a known action is refused before the stand-in', async () => {
  const notSid = await post('/api/tasks/not-a-task/accept');
  assert.equal(notSid.statusCode, 400);
  assert.equal(notSid.json().error.code, 'invalid_task');
  const unknown = await post(`/api/tasks/${MISSING_TASK}/delete`);
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error.code, 'not_found');
});

test('a transfer needs a worker or queue SID and a mode; a reply a non-empty text within the limit', async () => {
  const cases: Array<[string, unknown, string]> = [
    ['transfer', { targetSid: 'someone', mode: 'COLD' }, '/targetSid'],
    ['transfer', { targetSid: `WK${'a'.repeat(32)}`, mode: 'HOT' }, '/mode'],
    ['messages', { body: '   ' }, '/body'],
    ['messages', { body: 'x'.repeat(32_769) }, '/body'],
  ];
  for (const [action, body, field] of cases) {
    const response = await post(`/api/tasks/${MISSING_TASK}/${action}`, body);
    assert.equal(response.statusCode, 400, `${action} ${JSON.stringify(body).slice(0, 60)}`);
    assert.deepEqual({ code: response.json().error.code, field: response.json().error.field }, { code: 'invalid_body', field });
  }
});

test("the stand-in's own errors pass through: a missing task is a 404 naming the task", async () => {
  const response = await post(`/api/tasks/${MISSING_TASK}/accept`, { worker: `WK${'a'.repeat(32)}` });
  assert.equal(response.statusCode, 404);
  assert.match(response.json().message, new RegExp(`Task ${MISSING_TASK} not found`));
});

test('accept and reject name the signed-in worker by its SID; the stand-in gets it as the agent', async () => {
  for (const action of ['accept', 'reject']) {
    for (const body of [{}, { worker: 'bob' }, { worker: `WQ${'a'.repeat(32)}` }]) {
      const response = await post(`/api/tasks/${MISSING_TASK}/${action}`, body);
      assert.equal(response.statusCode, 400, `${action} ${JSON.stringify(body)}`);
      assert.deepEqual(response.json().error, { code: 'invalid_body', field: '/worker', message: 'must be a worker SID (WK…)' });
    }
    const passed = await post(`/api/tasks/${MISSING_TASK}/${action}`, { worker: `WK${'a'.repeat(32)}` });
    assert.equal(passed.statusCode, 404, 'checked, then the stand-in answers for the task');
  }
});

test("workers, queues, wrap-up and read reach the stand-in's endpoints", async () => {
  const workers = await app.inject({ method: 'GET', url: '/api/workers' });
  assert.deepEqual(
    workers.json().workers.map((worker: { friendlyName: string }) => worker.friendlyName),
    ['alice', 'bob', 'carol'],
  );
  const queues = await app.inject({ method: 'GET', url: '/api/queues' });
  assert.deepEqual(
    queues
      .json()
      .queues.map((queue: { friendlyName: string }) => queue.friendlyName)
      .sort(),
    ['Everyone', 'Support'],
  );
  for (const action of ['wrapup', 'read', 'complete']) {
    const response = await post(`/api/tasks/${MISSING_TASK}/${action}`);
    assert.equal(response.statusCode, 404, action);
    assert.match(response.json().message, new RegExp(`Task ${MISSING_TASK} not found`), action);
  }
});
