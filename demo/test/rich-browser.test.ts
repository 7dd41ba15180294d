import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { twilioClientFor } from '@custom-channels/twilio-sandbox/twilio-client';
import type { Demo } from '../src/demo.js';
import { startTestDemo } from './test-demo.js';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';
import { eventually } from '@custom-channels/test-kit/poll';

/**
 * A rich message in a real browser: a bot posts a quick reply template (Content API) into the
 * web chat visitor's conversation; the widget shows its buttons; the visitor taps one, and the
 * agent reads the selection, with its id in the message attributes.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const WAIT = { timeout: 20_000 };

let demo: Demo;
let workDir: string;
const contexts: BrowserContext[] = [];

async function openBrowser(): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(workDir, 'profile-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 700 },
  });
  contexts.push(context);
  return context;
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  workDir = mkdtempSync(join(tmpdir(), 'cc-rich-test-'));
  demo = await startTestDemo(workDir);
  mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await demo?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('a bot asks with quick reply buttons in the web chat; the visitor taps one; the agent reads the selection', { timeout: 180_000 }, async () => {
  const visitor = await (await openBrowser()).newPage();
  const agent = await (await openBrowser()).newPage();
  const name = 'Grace Hopper';
  await visitor.goto(demo.urls.webchat);
  await visitor.locator('.cc-name-input').fill(name);
  await visitor.locator('.cc-name-submit').click();
  await visitor.locator('#cc-webchat[data-connection="online"]').waitFor(WAIT);
  await visitor.locator('.cc-input').fill('My parcel has not arrived');
  await visitor.locator('.cc-send').click();

  await agent.goto(demo.urls.agent);
  const task = agent.locator('.task[data-channel="webchat"]').first();
  await task.and(agent.locator('[data-status="pending"]')).waitFor(WAIT);
  await task.locator('.Twilio-TaskButton-Accept').click();
  await agent.locator('.composer').waitFor({ state: 'visible', ...WAIT });
  const accepted = await eventually(async () => (await new SandboxControl(demo.sandbox.url).tasks()).find((t) => t.attributes.name === name), 'the task');
  const conversationSid = String(accepted.attributes.conversationSid);

  const twilio = twilioClientFor(demo.sandbox);
  const template = await twilio.content.v1.contents.create({
    friendly_name: 'was_this_helpful',
    language: 'en',
    types: {
      'twilio/quick-reply': {
        body: 'Did that answer your question, {{1}}?',
        actions: [
          { title: 'Yes', id: 'helpful_yes' },
          { title: 'No', id: 'helpful_no' },
        ],
      },
    },
  } as never);
  await twilio.conversations.v1
    .conversations(conversationSid)
    .messages.create({ author: 'bot', contentSid: template.sid, attributes: JSON.stringify({ contentVariables: { 1: 'Grace' } }) });

  const question = visitor.locator('.cc-agent .cc-rich-quick-reply');
  await question.locator('.cc-text', { hasText: 'Did that answer your question, Grace?' }).waitFor(WAIT);
  assert.deepEqual(await question.locator('.cc-rich-option').allTextContents(), ['Yes', 'No']);
  await visitor.screenshot({ path: join(SCREENSHOTS, 'webchat-quick-reply.png') });
  await question.locator('.cc-rich-option', { hasText: 'No' }).click();
  await visitor.locator('.cc-visitor .cc-text', { hasText: 'Selected: No' }).waitFor(WAIT);
  assert.equal(await question.locator('.cc-rich-option:disabled').count(), 2, 'answered: the buttons take no second tap');

  await agent.locator('.message.from-customer .text', { hasText: 'Selected: No' }).waitFor(WAIT);
  await agent.screenshot({ path: join(SCREENSHOTS, 'agent-quick-reply-selection.png') });
  const messages = await twilio.conversations.v1.conversations(conversationSid).messages.list({ order: 'desc', limit: 5 });
  const selection = messages.map((m) => JSON.parse(m.attributes) as { selection?: unknown }).find((a) => a.selection)?.selection;
  assert.deepEqual(selection, { id: 'helpful_no', title: 'No', source: 'button' });
});
