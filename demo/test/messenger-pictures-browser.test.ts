import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Demo } from '../src/demo.js';
import { startTestDemo } from './test-demo.js';

/**
 * A picture each way on a messenger, in a real browser: the customer sends one from the
 * platform stand-in's page, the agent sees it in the agent view and sends one back, and the
 * customer's page shows it. One row per platform whose page sends pictures.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WAIT = { timeout: 30_000 };

const platforms: Array<{ name: string; channelType: string; page: (urls: Demo['urls']) => string }> = [
  { name: 'Viber', channelType: 'viber', page: (urls) => urls.viber },
  { name: 'Instagram', channelType: 'instagram', page: (urls) => urls.instagram },
];

let demo: Demo;
let workDir: string;
let context: BrowserContext;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  workDir = mkdtempSync(join(tmpdir(), 'cc-messenger-pictures-'));
  demo = await startTestDemo(workDir);
  context = await chromium.launchPersistentContext(mkdtempSync(join(workDir, 'profile-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 700 },
  });
});

after(async () => {
  await context?.close().catch(() => undefined);
  await demo?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Waits until the image is loaded and has pixels. */
async function loaded(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(
    (css) => {
      const image = document.querySelector<HTMLImageElement>(css);
      return Boolean(image && image.complete && image.naturalWidth > 0);
    },
    selector,
    WAIT,
  );
}

for (const platform of platforms) {
  test(`${platform.name}: the customer's picture reaches the agent, the agent's picture reaches the customer`, { timeout: 180_000 }, async () => {
    const customer = await context.newPage();
    const agent = await context.newPage();
    await customer.goto(platform.page(demo.urls));
    // The pictures: pieces of the pages themselves, real JPEGs.
    const customerPicture = await customer.screenshot({ type: 'jpeg', clip: { x: 0, y: 0, width: 320, height: 200 } });
    await customer.locator('#name').fill(`${platform.name} Picture Sender`);
    await customer.locator('#name-form button').click();
    await customer.locator('#text').fill('Here is the damage');
    await customer.locator('#say button').click();
    await customer.locator('#picture').setInputFiles({ name: 'damage.jpg', mimeType: 'image/jpeg', buffer: customerPicture });

    await agent.goto(demo.urls.agent);
    const task = agent.locator(`.task[data-channel="${platform.channelType}"][data-status="pending"]`).first();
    await task.locator('.Twilio-TaskButton-Accept').click();
    await agent.locator('.message.from-customer img.attachment-thumb').waitFor(WAIT);
    await loaded(agent, '.message.from-customer img.attachment-thumb');

    const agentPicture = await agent.screenshot({ type: 'jpeg', clip: { x: 0, y: 0, width: 300, height: 180 } });
    await agent.locator('.attach-input').setInputFiles({ name: 'label.jpg', mimeType: 'image/jpeg', buffer: agentPicture });
    await customer.locator('.bubble.agent img').waitFor(WAIT);
    await loaded(customer, '.bubble.agent img');
  });
}
