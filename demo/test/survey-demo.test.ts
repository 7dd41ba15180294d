import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Demo } from '../src/demo.js';
import { DEMO_SURVEY } from '../src/demo-survey.js';
import { startTestDemo } from './test-demo.js';
import { eventually } from '@custom-channels/test-kit/poll';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';

describe('the demo ends with the survey', () => {
  let demo: Demo;
  let dir: string;
  let client: WebchatClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-survey-demo-'));
    demo = await startTestDemo(dir, { survey: true });
    client = await WebchatClient.open(demo.urls.middleware);
  });

  after(async () => {
    await client.close();
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('after the agent ends the chat the web chat visitor is asked for a rating; the answers land in the task under the Insights keys', async () => {
    await client.hello();
    client.send({ type: 'message', id: 'survey-demo-1', text: 'hi', name: 'Ada' });
    const control = new SandboxControl(demo.urls.sandbox);
    const task = await eventually(async () => (await control.tasks()).find((t) => t.attributes.name === 'Ada'), 'the task');
    await control.accept(task.sid);
    // Webhooks arrive in any order: the survey needs the agent's joining on record before the close.
    await control.idle();
    await control.reply(task.sid, 'Glad to help!');
    // Flex's End: the task goes to wrap-up and the conversation closes.
    await control.wrapup(task.sid);
    await client.next('event', (f) => f.event.kind === 'ended');

    const asked = (text: string) => client.next('event', (f) => f.event.kind === 'agent-message' && f.event.text === text);
    const [rating, solved, better] = DEMO_SURVEY.questions;
    await asked(rating.text);
    client.send({ type: 'message', id: 'survey-demo-2', text: '5', name: 'Ada' });
    await asked(solved.text);
    client.send({ type: 'message', id: 'survey-demo-3', text: 'yes', name: 'Ada' });
    await asked(better.text);
    client.send({ type: 'message', id: 'survey-demo-4', text: 'Nothing, thanks', name: 'Ada' });
    await asked(DEMO_SURVEY.thanksText);

    const answered = await eventually(async () => {
      const current = (await control.tasks()).find((t) => t.sid === task.sid);
      const insights = current?.attributes.conversations as Record<string, unknown> | undefined;
      return insights?.conversation_attribute_1 !== undefined && insights;
    }, 'the answers in the task');
    assert.equal(answered.conversation_measure_1, 5);
    assert.equal(answered.conversation_measure_2, 1);
    assert.equal(answered.conversation_attribute_1, 'Nothing, thanks');
    // The answers were not a new chat: no second task.
    assert.equal((await control.tasks()).filter((t) => t.attributes.name === 'Ada').length, 1);
  });
});
