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

test("the stand-in's own errors pass through: a missing task is a 404 naming the task, not a missing feature", async () => {
  const response = await post(`/api/tasks/${MISSING_TASK}/accept`);
  assert.equal(response.statusCode, 404);
  assert.match(response.json().message, new RegExp(`Task ${MISSING_TASK} not found`));
  assert.notEqual(response.json().error?.code, 'not_supported');
});

test('an endpoint the stand-in does not have is a 501 not_supported; one it has answers as the stand-in does', async () => {
  for (const path of ['/api/workers', '/api/queues']) {
    const response = await app.inject({ method: 'GET', url: path });
    if (response.statusCode === 501) {
      assert.equal(response.json().error.code, 'not_supported');
      assert.match(response.json().error.message, /the Twilio stand-in has no GET \/sandbox\/(workers|queues)/);
    } else {
      assert.equal(response.statusCode, 200, path);
    }
  }
  const wrapup = await post(`/api/tasks/${MISSING_TASK}/wrapup`);
  if (wrapup.statusCode === 501) {
    assert.equal(wrapup.json().error.code, 'not_supported');
    assert.match(wrapup.json().error.message, /POST \/sandbox\/tasks\/:taskSid\/wrapup/);
  } else {
    assert.equal(wrapup.statusCode, 404, 'a stand-in with wrap-up does not know the task');
  }
});
