import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PACKAGE_DIR } from '../src/config/load-config.js';
import { startMiddlewareProcess } from '@custom-channels/test-kit/middleware-process';
import { startSandbox } from '@custom-channels/twilio-sandbox';
import { signInboundRequest } from '../src/security/hub-signature.js';
import { freePort } from '@custom-channels/test-kit/free-port';
import { middlewareEnvironment } from '@custom-channels/test-kit/middleware-env';
import { eventually } from '@custom-channels/test-kit/poll';
import { buildMiddleware, productionCommand } from '@custom-channels/test-kit/production-command';
import { startReceiver } from '@custom-channels/test-kit/receiver';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';

const SECRET = 'chatapp-secret-for-the-build-test-01';

test('the production build holds the service only: no stand-in, test, benchmark or demo code, no tsx', () => {
  buildMiddleware();
  const buildDir = join(PACKAGE_DIR, 'build');
  const files = readdirSync(buildDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(buildDir, join(entry.parentPath, entry.name)));
  assert.ok(files.includes(join('src', 'main.js')), 'the entry point is built');
  assert.deepEqual(
    files.filter((file) => !file.startsWith(`src${'/'}`)),
    [],
    'only src/ is compiled',
  );
  const testOnly = /@custom-channels\/(twilio-sandbox|test-kit|demo)|from 'tsx'|node:test/;
  assert.deepEqual(
    files.filter((file) => file.endsWith('.js') && testOnly.test(readFileSync(join(buildDir, file), 'utf8'))),
    [],
    'no compiled file imports test-only code',
  );
  const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  assert.deepEqual(
    Object.keys(manifest.dependencies).filter((name) => /^(tsx|@custom-channels\/(twilio-sandbox|test-kit|demo))$/.test(name)),
    [],
  );
});

test('npm start: the compiled build, with its node options, runs the whole loop', async () => {
  buildMiddleware();
  const { env: startEnv, nodeOptions, entry } = productionCommand();
  const sandbox = await startSandbox({ port: 0, logger: false });
  const receiver = await startReceiver(SECRET);
  const control = new SandboxControl(sandbox.url);
  const env = await middlewareEnvironment({
    sandbox,
    port: await freePort(),
    channelSecret: SECRET,
    deliveryUrl: receiver.url,
  });
  const middleware = await startMiddlewareProcess({ ...startEnv, ...env }, [...nodeOptions, entry]);
  let exitCode: number | null | undefined;
  try {
    const body = JSON.stringify({
      id: 'build-1',
      from: { id: 'customer-build', name: 'Ann' },
      text: 'Hello from the build',
    });
    const answer = await fetch(`${middleware.url}/inbound/chatapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signInboundRequest(SECRET, body) },
      body,
    });
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
