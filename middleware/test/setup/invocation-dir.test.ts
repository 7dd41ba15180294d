import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_DIR } from '../../src/config/load-config.js';
import { invocationDir } from '../../src/setup/args.js';
import { runSetup } from '../../src/setup/run.js';
import { envValues, FIXED_SECRETS, startFixture } from './helpers.js';

describe('setup reads relative paths from the directory the user ran npm from', async () => {
  const fixture = await startFixture();
  after(() => fixture.stop());

  test('INIT_CWD, which npm sets to that directory, wins over the script folder npm runs in', () => {
    assert.equal(invocationDir({ INIT_CWD: '/home/me/repo' }, '/home/me/repo/middleware'), '/home/me/repo');
    assert.equal(invocationDir({}, '/home/me/repo/middleware'), '/home/me/repo/middleware');
  });

  test('--channels-file and --env-path given from the repository root are found there', async () => {
    await mkdir(join(fixture.dir, 'config'));
    const repositoryChannels = JSON.parse(await readFile(join(PACKAGE_DIR, '..', 'channels.json'), 'utf8')) as { channels: Array<{ channelType: string }> };
    const chatapp = repositoryChannels.channels.find((channel) => channel.channelType === 'chatapp')!;
    const channels = { channels: [{ ...chatapp, channelType: 'shop' }] };
    await writeFile(join(fixture.dir, 'config', 'my-channels.json'), JSON.stringify(channels));
    const out: string[] = [];
    const err: string[] = [];
    const code = await runSetup({
      argv: ['conversations', '--channels-file', 'config/my-channels.json', '--env-path', 'my.env'],
      env: { ...fixture.env, INIT_CWD: fixture.dir },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      generateSecret: (key) => FIXED_SECRETS[key]!,
    });
    assert.equal(code, 0, err.join('\n'));
    assert.match(out.join('\n'), /Set CHANNEL_SHOP_SECRET and CHANNEL_SHOP_DELIVERY_URL for channel "shop"/);
    assert.equal(envValues(await readFile(join(fixture.dir, 'my.env'), 'utf8')).TWILIO_WORKSPACE_SID, fixture.sandbox.seeded.workspaceSid);
  });
});
