import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_DIR } from '../src/config/load-config.js';
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
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  buildMiddleware();
  const { nodeOptions, entry } = productionCommand();
  const sandbox = await startSandbox({ port: 0, logger: false });
  const receiver = await startReceiver(SECRET);
  const control = new SandboxControl(sandbox.url);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cc-build-'));
  writeFileSync(join(dir, 'empty.env'), '');
  const output: string[] = [];
  const child = spawn(process.execPath, [...nodeOptions, entry], {
    cwd: PACKAGE_DIR,
    env: {
      ...process.env,
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
      ENV_FILE: join(dir, 'empty.env'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise((done) => child.once('exit', done));
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output.join('')}`);
      return (await fetch(`${url}/readyz`)).ok;
    }, 'the compiled middleware ready', 30_000);

    const body = JSON.stringify({ id: 'build-1', from: { id: 'customer-build', name: 'Ann' }, text: 'Hello from the build' });
    const answer = await fetch(`${url}/inbound/chatapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(SECRET, body) }, body });
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
    child.kill('SIGTERM');
    await exited;
    await receiver.close();
    await sandbox.close();
  }
  assert.equal(child.exitCode, 0, output.join(''));
});
