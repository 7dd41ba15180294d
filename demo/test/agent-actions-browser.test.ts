import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import { signBody } from '@custom-channels/middleware/security/hub-signature';
import { eventually } from '@custom-channels/test-kit/poll';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';
import { DEMO_WEBHOOK_SECRET, type Demo } from '../src/demo.js';
import { startTestDemo } from './test-demo.js';

/**
 * Flex's task actions in the agent view, in Debian's chromium: each one goes through
 * Flex.Actions to the demo's API. Transfers use the stand-in's agreed transfer API; where
 * this stand-in does not have an endpoint yet, the test answers for it at the browser's
 * edge and checks what the page sends, and that the page says so when it is missing.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WAIT = { timeout: 20_000 };
const WORKER = { sid: `WK${'1'.repeat(32)}`, friendlyName: 'Grace (agent 2)', available: true };
const QUEUE = { sid: `WQ${'2'.repeat(32)}`, friendlyName: 'Billing' };

let demo: Demo;
let workDir: string;
let context: BrowserContext;
let control: SandboxControl;

/** A ChatApp customer writes (a signed webhook), which makes a task; resolves to its SID. */
async function chatAppTask(name: string): Promise<string> {
  const body = JSON.stringify({ id: `m-${name}`, from: { id: `customer-${name}`, name }, text: `Hello from ${name}` });
  const response = await fetch(`${demo.urls.middleware}/inbound/chatapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(DEMO_WEBHOOK_SECRET, body) },
    body,
  });
  assert.equal(response.status, 202);
  return (await eventually(async () => (await control.tasks()).find((task) => task.attributes.name === name), `${name}'s task`)).sid;
}

async function openAgentView(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(demo.urls.agent);
  await page.locator('#root[data-ready]').waitFor(WAIT);
  return page;
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  workDir = mkdtempSync(join(tmpdir(), 'cc-agent-actions-'));
  demo = await startTestDemo(workDir);
  control = new SandboxControl(demo.sandbox.url);
  context = await chromium.launchPersistentContext(mkdtempSync(join(workDir, 'profile-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
});

after(async () => {
  await context?.close().catch(() => undefined);
  await demo?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test("Flex's reject button: the stand-in rejects the task, or the page says this stand-in cannot", { timeout: 90_000 }, async () => {
  const sid = await chatAppTask('Rita Levi');
  const page = await openAgentView();
  const rejects: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith(`/api/tasks/${sid}/reject`)) rejects.push(request);
  });
  await page.locator(`.task[data-sid="${sid}"] .Twilio-TaskButton-Reject`).click();
  await page.locator(`.canvas .notice, .task[data-sid="${sid}"]:not([data-status="pending"])`).first().waitFor(WAIT);
  assert.equal(rejects.length, 1, "Flex's RejectTask reached the demo's API once");
  if ((await page.locator('.canvas .notice').count()) > 0) {
    assert.equal(await page.locator('.canvas .notice').textContent(), 'Reject is not available: this stand-in does not offer it yet.');
    assert.equal((await control.tasks()).find((task) => task.sid === sid)?.status, 'pending', 'the task stays as it was');
  }
  await page.close();
});

test("a transfer goes through Flex's TransferTask action with the target and mode chosen", { timeout: 90_000 }, async () => {
  const sid = await chatAppTask('Mary Jackson');
  const page = await openAgentView();
  // The agreed transfer API, answered here for a stand-in that may not have it yet.
  await page.route('**/api/workers', (route) => route.fulfill({ json: { workers: [WORKER] } }));
  await page.route('**/api/queues', (route) => route.fulfill({ json: { queues: [QUEUE] } }));
  const transfers: unknown[] = [];
  await page.route(`**/api/tasks/${sid}/transfer`, async (route) => {
    transfers.push(route.request().postDataJSON());
    await route.fulfill({ status: 201, json: { sid: `WT${'3'.repeat(32)}` } });
  });

  await page.locator(`.task[data-sid="${sid}"] .Twilio-TaskButton-Accept`).click();
  await page.locator('.transfer').waitFor(WAIT);
  assert.equal((await control.tasks()).find((task) => task.sid === sid)?.status, 'assigned');
  await page.getByLabel('Transfer to').selectOption(QUEUE.sid);
  await page.getByLabel('Transfer mode').selectOption('WARM');
  await page.locator('.transfer-submit').click();
  await eventually(() => transfers.length === 1, 'the transfer request');
  assert.deepEqual(transfers, [{ targetSid: QUEUE.sid, mode: 'WARM' }]);
  assert.equal(await page.locator('.canvas .notice').count(), 0, 'no error shown');
  await page.close();
});

test('without workers and queues in the stand-in, the transfer control says transfers are not available', { timeout: 60_000 }, async () => {
  const page = await openAgentView();
  const answers = await page.evaluate(async () => Promise.all(['/api/workers', '/api/queues'].map(async (path) => (await fetch(path)).status)));
  if (answers.every((status) => status === 501)) {
    await page.locator('.task[data-status="assigned"]').first().click();
    await page.locator('.transfer-unavailable', { hasText: 'Transfers are not available' }).waitFor(WAIT);
  } else {
    assert.deepEqual(answers, [200, 200], 'the stand-in lists workers and queues');
  }
  await page.close();
});
