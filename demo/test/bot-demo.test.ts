import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Demo } from '../src/demo.js';
import { startTestDemo } from './test-demo.js';
import { eventually } from '@custom-channels/test-kit/poll';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';

const GREETING = 'Hello! Thanks for contacting us.';
const QUESTION = 'How can we help? Tap an option or reply with its number:';
const MENU = `${QUESTION}\n1. An order\n2. Billing\n3. Something else`;

describe('the demo starts with the bot', () => {
  let demo: Demo;
  let dir: string;
  let client: WebchatClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-bot-demo-'));
    demo = await startTestDemo(dir, { bot: true });
    client = await WebchatClient.open(demo.urls.middleware);
  });

  after(async () => {
    await client.close();
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the web chat visitor gets the bot's greeting and menu buttons, taps one, and the agent sees the bot's part before accepting", async () => {
    await client.hello();
    client.send({ type: 'message', id: 'bot-demo-1', text: 'hi', name: 'Ada' });
    const agentText = (text: string) => client.next('event', (f) => f.event.kind === 'agent-message' && f.event.text === text);
    await agentText(GREETING);
    const menu = await agentText(MENU);
    assert.deepEqual(menu.event.kind === 'agent-message' && menu.event.rich?.type === 'quick-reply' && menu.event.rich.options.map((o) => o.title), [
      'An order',
      'Billing',
      'Something else',
    ]);
    client.send({ type: 'message', id: 'bot-demo-2', name: 'Ada', selection: { id: 'billing', title: 'Billing' } });

    const control = new SandboxControl(demo.urls.sandbox);
    const task = await eventually(async () => (await control.tasks()).find((t) => t.attributes.botMenuChoice !== undefined), 'the task');
    assert.equal(task.attributes.botMenuChoice, 'billing');
    assert.equal(task.status, 'pending');
    // What the agent view's conversation pane shows for the task, before anyone accepts it.
    const response = await fetch(`${demo.urls.agent}api/tasks/${task.sid}/messages`);
    const { messages } = (await response.json()) as { messages: Array<{ body: string | null; content?: { text: string | null } }> };
    // The menu is a Content template message: it has no body, the pane shows the template's text.
    assert.deepEqual(
      messages.map((m) => m.body ?? m.content?.text),
      ['hi', GREETING, MENU, 'Selected: Billing'],
    );
  });
});
