import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import type { Demo } from '../src/demo.js';
import { startTestDemo } from './test-demo.js';

/**
 * What the demo's browser tests share: the demo, started once per test file in a temp folder;
 * Debian's chromium in persistent contexts, all closed after; and where screenshots go
 * (test-results/ on every run, docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
export const WAIT = { timeout: 20_000 };

export interface BrowserDemo {
  readonly demo: Demo;
  readonly workDir: string;
  openBrowser(): Promise<BrowserContext>;
}

/** Registers the file's `before` and `after`; the demo and its folder exist once `before` ran. */
export function useBrowserDemo(folderPrefix: string, options: { acceptDownloads?: boolean } = {}): BrowserDemo {
  let demo: Demo | undefined;
  let workDir: string | undefined;
  const contexts: BrowserContext[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
    workDir = mkdtempSync(join(tmpdir(), folderPrefix));
    demo = await startTestDemo(workDir);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await demo?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  return {
    get demo() {
      assert.ok(demo, 'the demo starts in before()');
      return demo;
    },
    get workDir() {
      assert.ok(workDir, 'the folder is made in before()');
      return workDir;
    },
    async openBrowser() {
      const context = await chromium.launchPersistentContext(mkdtempSync(join(this.workDir, 'profile-')), {
        executablePath: CHROMIUM,
        headless: true,
        acceptDownloads: options.acceptDownloads ?? false,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 1100, height: 700 },
      });
      contexts.push(context);
      return context;
    },
  };
}
