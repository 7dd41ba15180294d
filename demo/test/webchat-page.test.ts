import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestDemo } from './test-demo.js';

test("the demo's /webchat/ is its shop page, with the middleware's widget", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-demo-page-'));
  const demo = await startTestDemo(dir);
  try {
    const page = await fetch(demo.urls.webchat);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<title>Acme Outdoor Co\. · web chat demo<\/title>/);
    assert.match(html, /<script src="widget.js" data-channel="webchat" data-open="true" defer><\/script>/);
    for (const file of ['page.css', 'widget.js', 'widget.css', 'favicon.svg']) {
      assert.equal((await fetch(new URL(file, demo.urls.webchat))).status, 200, file);
    }
  } finally {
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
