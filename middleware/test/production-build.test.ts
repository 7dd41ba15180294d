import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMiddlewareProcess } from '../src/reliability/scenarios.js';
import { startSandbox } from '../src/sandbox/index.js';
import { signBody } from '../src/security/hub-signature.js';
import { writeChannelsFile } from './helpers/channels-file.js';
import { freePort } from './helpers/free-port.js';
import { eventually } from './helpers/poll.js';
import { buildMiddleware, productionCommand } from './helpers/production-command.js';
import { startReceiver } from './helpers/receiver.js';
import { SandboxControl } from './helpers/sandbox-control.js';

const SECRET = 'chatapp-secret-for-the-build-test-01';

test('npm start: the compiled build, with its node options, runs the whole loop', async () => {
  buildMiddleware();
  const { nodeOptions, entry } = productionCommand();
  const sandbox = await startSandbox({ port: 0, logger: false });
  const receiver = await startReceiver(SECRET);
  const control = new SandboxControl(sandbox.url);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cc-build-'));
  writeFileSync(join(dir, 'empty.env'), '');
  const middleware = await startMiddlewareProcess(
    {
      ENV_FILE: join(dir, 'empty.env'),
      TWILIO_ACCOUNT_SID: sandbox.accountSid,
      TWILIO_AUTH_TOKEN: sandbox.authToken,
      TWILIO_API_BASE_URL: sandbox.url,
      TWILIO_WORKSPACE_SID: sandbox.seeded.workspaceSid,
      TWILIO_WORKFLOW_SID: sandbox.seeded.workflowSid,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'middleware.sqlite')}`,
      CHANNELS_FILE: writeChannelsFile(),
      CHANNEL_CHATAPP_SECRET: SECRET,
      CHANNEL_CHATAPP_DELIVERY_URL: receiver.url,
    },
    [...nodeOptions, entry],
  );
  let exitCode: number | null | undefined;
  try {
    const body = JSON.stringify({ id: 'build-1', from: { id: 'customer-build', name: 'Ann' }, text: 'Hello from the build' });
    const answer = await fetch(`${middleware.url}/inbound/chatapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(SECRET, body) }, body });
    assert.equal(answer.status, 202);

    const task = await eventually(async () => (await control.tasks()).find((candidate) => candidate.attributes.customChannelType === 'chatapp'), 'a task');
    assert.equal(task.attributes.name, 'Ann');
    await control.accept(task.sid);
    await control.reply(task.sid, 'Hi Ann');
    const reply = await eventually(() => receiver.received.find((delivery) => delivery.body.type === 'message'), 'the reply delivered');
    assert.equal(reply.body.text, 'Hi Ann');
    assert.equal(reply.signatureValid, true);
    await control.complete(task.sid);
    await eventually(() => receiver.received.some((delivery) => delivery.body.type === 'ended'), 'the end delivered');
  } finally {
    exitCode = await middleware.stop();
    await receiver.close();
    await sandbox.close();
  }
  assert.equal(exitCode, 0, `a graceful stop exits with 0:\n${middleware.output().join('\n')}`);
});
