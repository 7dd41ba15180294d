import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import type { Demo } from '../src/demo.js';
import { startTestDemo } from './test-demo.js';

/** Instagram in a real browser: the customer's phone page sends a picture the agent sees, the agent's picture shows on the phone. */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
  workDir = mkdtempSync(join(tmpdir(), 'cc-instagram-browser-'));
  demo = await startTestDemo(workDir);
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await demo?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('Instagram: a picture from the customer to the agent, and one from the agent to the customer', { timeout: 180_000 }, async () => {
  const phone = await (await openBrowser()).newPage();
  const agent = await (await openBrowser()).newPage();

  await phone.goto(demo.urls.instagram);
  // The "photos": pieces of the pages themselves, real PNGs.
  const picture = await phone.screenshot({ clip: { x: 0, y: 0, width: 300, height: 120 } });
  await phone.locator('#name').fill('Iris Instagram');
  await phone.locator('#name-form button').click();
  await phone.locator('#picture-row').waitFor({ state: 'visible', ...WAIT });
  await phone.locator('#picture').setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: picture });

  await agent.goto(demo.urls.agent);
  const task = agent.locator('.task[data-channel="instagram"][data-status="pending"]').first();
  await task.locator('.Twilio-TaskButton-Accept').click();
  await agent.locator('.message.from-customer img.attachment-thumb').waitFor(WAIT);
  await agent.waitForFunction(
    () => {
      const image = document.querySelector<HTMLImageElement>('.message.from-customer img.attachment-thumb');
      return Boolean(image && image.complete && image.naturalWidth > 0);
    },
    undefined,
    WAIT,
  );

  const reply = await agent.screenshot({ clip: { x: 0, y: 0, width: 200, height: 100 } });
  await agent.locator('.attach-input').setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: reply });
  await phone.waitForFunction(
    () => {
      const image = document.querySelector<HTMLImageElement>('.bubble.agent img');
      return Boolean(image && image.complete && image.naturalWidth === 200);
    },
    undefined,
    WAIT,
  );
});
