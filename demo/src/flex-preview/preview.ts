import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { buildFlexPage, ensurePluginBuild } from './build.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The page is served from inside the browser: no port, and nothing else is reachable.
const ORIGIN = 'http://flex-preview.invalid';
const WAIT = { timeout: 30_000 };
// A fixed clock keeps the screenshots' times (task ages, dates) the same on every run.
const PREVIEW_TIME = new Date('2026-01-15T10:30:00Z');

const PREVIEW_DIR = fileURLToPath(new URL('../../public/preview/', import.meta.url));

export interface PageFile {
  body: Buffer;
  contentType: string;
}

/** The preview's files by path: its page and styles, the bundle with Flex, the built plugin. */
export async function previewFiles(): Promise<Record<string, PageFile>> {
  const file = (path: string, contentType: string) => ({ body: readFileSync(path), contentType });
  return {
    '/': file(join(PREVIEW_DIR, 'index.html'), 'text/html; charset=utf-8'),
    '/preview.css': file(join(PREVIEW_DIR, 'preview.css'), 'text/css; charset=utf-8'),
    '/favicon.svg': file(join(PREVIEW_DIR, 'favicon.svg'), 'image/svg+xml'),
    '/page.js': file(await buildFlexPage(), 'text/javascript; charset=utf-8'),
    '/plugin-custom-channels.js': file(ensurePluginBuild(), 'text/javascript; charset=utf-8'),
  };
}

export interface FlexPreview {
  page: Page;
  close(): Promise<void>;
}

/** Opens the preview in headless Chromium, offline: Flex's web fonts (a CDN) do not load. */
export async function openFlexPreview(): Promise<FlexPreview> {
  const files = await previewFiles();
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
  await page.locator('#root[data-ready], body[data-error]').first().waitFor(WAIT);
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
  components: { file: 'plugin-flex-components.png', selector: '.preview-components' },
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
