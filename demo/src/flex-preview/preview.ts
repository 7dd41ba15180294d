import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildPreviewPage, ensurePluginBuild } from './build.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The page is served from inside the browser: no port, and nothing else is reachable.
const ORIGIN = 'http://flex-preview.invalid';
const WAIT = { timeout: 30_000 };
// A fixed clock keeps the screenshots' times (task ages, dates) the same on every run.
const PREVIEW_TIME = new Date('2026-01-15T10:30:00Z');

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Custom channels in Flex</title>
    <style>
      body { margin: 0; }
      #preview > div { display: flex; gap: 24px; padding: 16px; align-items: flex-start; }
      .preview-task-list { width: 320px; }
      .preview-task-canvases { display: flex; flex-direction: column; gap: 16px; width: 640px; }
      /* Flex's tab panels fill their parent: the canvas needs a height. */
      .preview-task-canvas { height: 320px; display: flex; flex-direction: column; outline: 1px solid rgb(0 0 0 / 12%); }
    </style>
  </head>
  <body>
    <div id="preview"></div>
    <script src="/page.js"></script>
  </body>
</html>`;

export interface FlexPreview {
  page: Page;
  close(): Promise<void>;
}

/** Opens the preview in headless Chromium, offline: Flex's web fonts (a CDN) do not load. */
export async function openFlexPreview(): Promise<FlexPreview> {
  const files: Record<string, { body: Buffer | string; contentType: string }> = {
    '/': { body: INDEX_HTML, contentType: 'text/html' },
    '/page.js': { body: readFileSync(await buildPreviewPage()), contentType: 'text/javascript' },
    '/plugin-custom-channels.js': { body: readFileSync(ensurePluginBuild()), contentType: 'text/javascript' },
  };
  const profile = mkdtempSync(join(tmpdir(), 'cc-flex-preview-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1040, height: 800 },
    deviceScaleFactor: 2,
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const file = url.origin === ORIGIN ? files[url.pathname] : undefined;
    return file ? route.fulfill({ status: 200, ...file }) : route.abort('internetdisconnected');
  });
  await context.clock.setFixedTime(PREVIEW_TIME);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${ORIGIN}/`);
  await page.locator('#preview[data-ready], body[data-error]').first().waitFor(WAIT);
  const error = await page.locator('body').getAttribute('data-error');
  if (error) throw new Error(`the preview page failed: ${error}`);
  return {
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const SCREENSHOTS = {
  taskList: { file: 'plugin-task-list.png', selector: '.preview-task-list' },
  channelPanel: { file: 'plugin-channel-panel.png', selector: '.preview-task-canvases' },
};

/**
 * Opens a tab the plugin adds to the task canvas, if it adds one: an accepted chat task
 * without a conversation has only Flex's Info tab, and every tab header carries the same
 * test id, so any tab not labelled Info is the plugin's. Flex keeps one selected tab for
 * every canvas, so one click selects it in all of them.
 */
async function selectPluginTab(page: Page): Promise<void> {
  const pluginTabs = page
    .locator('.preview-task-canvas')
    .first()
    .locator('.Twilio-TabHeader', { hasNotText: /^Info$/ });
  if ((await pluginTabs.count()) > 0) await pluginTabs.first().click();
}

/** Saves the task list and the task canvases as PNG files in the given folder. */
export async function saveScreenshots(page: Page, folder: string): Promise<string[]> {
  mkdirSync(folder, { recursive: true });
  await selectPluginTab(page);
  const saved: string[] = [];
  for (const { file, selector } of Object.values(SCREENSHOTS)) {
    const path = join(folder, file);
    await page.locator(selector).screenshot({ path, animations: 'disabled' });
    saved.push(path);
  }
  return saved;
}
