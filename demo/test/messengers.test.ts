import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Demo } from '../src/demo.js';
import { startTestDemo } from './test-demo.js';
import { eventually } from '@custom-channels/test-kit/poll';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';

/** What the stand-ins' customer pages do: become a user, write, read the agent's replies. */
async function phone(pageUrl: string, name: string) {
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(new URL(path, pageUrl), {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(response.status, 200, path);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const user = (await call('sandbox/users', { name })) as { id: number | string; name: string };
  return {
    user,
    say: (text: string) => call('sandbox/say', { user, text }),
    replies: async () => (await call(`sandbox/chats/${encodeURIComponent(String(user.id))}`)).messages as string[],
  };
}

describe('the demo runs a Telegram, a LINE, a Viber and an Instagram channel on their stand-ins', () => {
  let demo: Demo;
  let dir: string;
  let control: SandboxControl;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-demo-messengers-'));
    demo = await startTestDemo(dir);
    control = new SandboxControl(demo.urls.sandbox);
  });

  after(async () => {
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [platform, channelType, urlOf] of [
    ['Telegram', 'telegram', (urls: Demo['urls']) => urls.telegram],
    ['LINE', 'line-oa', (urls: Demo['urls']) => urls.line],
    ['Viber', 'viber', (urls: Demo['urls']) => urls.viber],
    ['Instagram', 'instagram', (urls: Demo['urls']) => urls.instagram],
  ] as const) {
    test(`a ${platform} customer writes from the stand-in's page, the agent answers, the customer reads it`, async () => {
      const page = await fetch(urlOf(demo.urls));
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await page.text(), new RegExp(`<title>${platform} \\(stand-in\\)</title>`));

      const customer = await phone(urlOf(demo.urls), `${platform} Tester`);
      const said = await customer.say(`Hello from ${platform}`);
      assert.equal((said as { status: number }).status, 200);
      const task = await eventually(
        async () =>
          (await control.tasks()).find((candidate) => candidate.attributes.channelType === channelType && candidate.attributes.name === `${platform} Tester`),
        `the ${platform} task`,
      );
      await control.accept(task.sid);
      await control.reply(task.sid, `Hi from the agent, ${platform} customer`);
      await eventually(async () => (await customer.replies()).length === 1, `the reply in the ${platform} page`);
      assert.deepEqual(await customer.replies(), [`Hi from the agent, ${platform} customer`]);
      await control.complete(task.sid);
      await eventually(async () => (await customer.replies()).length === 2, `the end of the chat in the ${platform} page`);
    });
  }
});
