import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_DIR } from '../src/config/load-config.js';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';

test('npm run middleware on a port in use: exit 1 and one line naming the port and PORT, no stack trace', async () => {
  const occupier = createServer();
  await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
  const { port } = occupier.address() as { port: number };
  const folder = mkdtempSync(join(tmpdir(), 'cc-main-'));
  const envFile = join(folder, '.env');
  writeFileSync(envFile, '');
  const env = {
    PATH: process.env.PATH,
    ENV_FILE: envFile,
    TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'auth-token-for-the-port-test-000',
    TWILIO_WORKSPACE_SID: `WS${'1'.repeat(32)}`,
    TWILIO_WORKFLOW_SID: `WW${'1'.repeat(32)}`,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(folder, 'middleware.sqlite')}`,
    CHANNELS_FILE: writeChannelsFile(),
    CHANNEL_CHATAPP_SECRET: 'chatapp-secret-for-tests-0123456789',
    CHANNEL_CHATAPP_DELIVERY_URL: 'http://127.0.0.1:9/deliveries',
    LOG_LEVEL: 'error',
    LOG_HASH_KEY: 'k'.repeat(32),
  };
  try {
    const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PACKAGE_DIR,
      env,
    }).then(
      () => assert.fail('the middleware should not start'),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.equal(failure.code, 1);
    assert.equal(
      failure.stderr,
      `The middleware could not start: port ${port} (middleware) is already in use: set PORT to another port, or to 0 for any free one\n`,
    );
  } finally {
    await new Promise<void>((resolve) => occupier.close(() => resolve()));
  }
});
