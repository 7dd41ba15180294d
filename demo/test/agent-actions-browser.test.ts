import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { signInboundRequest } from '@custom-channels/middleware';
import { eventually } from '@custom-channels/test-kit/poll';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';
import { DEMO_WEBHOOK_SECRET, type Demo } from '../src/demo.js';
import { startTestDemo } from './test-demo.js';

/**
 * Flex's task actions in the agent view, in Debian's chromium, against the stand-in's real
 * endpoints: each page is signed in as one worker (`?worker=`), Flex's buttons and actions
 * reach the stand-in through the demo's API, and a transfer moves the chat from one
 * worker's view to another's while the customer keeps writing.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const WAIT = { timeout: 20_000 };
const FLEX_ICON = '.Twilio-TaskListBaseItem-IconArea img';

let demo: Demo;
let workDir: string;
let context: BrowserContext;
let control: SandboxControl;

async function statusOf(sid: string): Promise<string | undefined> {
  return (await control.tasks()).find((task) => task.sid === sid)?.status;
}

/** A ChatApp customer writes (a signed webhook); resolves to the task's SID once there is one. */
async function chatAppSays(name: string, id: string, text: string): Promise<void> {
  const body = JSON.stringify({ id, from: { id: `customer-${name}`, name }, text });
  const response = await fetch(`${demo.urls.middleware}/inbound/chatapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signInboundRequest(DEMO_WEBHOOK_SECRET, body) },
    body,
  });
  assert.equal(response.status, 202);
}

async function firstTaskOf(name: string): Promise<string> {
  return (await eventually(async () => (await control.tasks()).find((task) => task.attributes.name === name), `${name}'s task`)).sid;
}

async function chatAppTask(name: string): Promise<string> {
  await chatAppSays(name, `m-${name}`, `Hello from ${name}`);
  return firstTaskOf(name);
}

/** The agent view signed in as `worker`. */
async function agentView(worker: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${demo.urls.agent}?worker=${worker}`);
  await page.locator(`.agent-view[data-worker="${worker}"]`).waitFor(WAIT);
  return page;
}

/** Selects the task in the page's list, accepts it with Flex's button, and waits for its conversation. */
async function accept(page: Page, sid: string): Promise<void> {
  await page.locator(`.task[data-sid="${sid}"] .Twilio-TaskButton-Accept`).click();
  await page.locator(`.conversation[data-sid="${sid}"] .composer`).waitFor(WAIT);
}

/** A button of Flex's task canvas header ("End chat" while live, "Complete" in wrap-up). */
const headerButton = (page: Page, label: string) => page.locator('.canvas [data-component="task-canvas-header"] button', { hasText: label });

/** Every button offering to complete the task, Flex's or the demo's. */
const completeButtons = (page: Page) => page.locator('.canvas button', { hasText: /complete/i });

async function transfer(page: Page, target: string, mode: 'COLD' | 'WARM'): Promise<void> {
  await page.getByLabel('Transfer to').selectOption({ label: target });
  await page.getByLabel('Transfer mode').selectOption(mode);
  await page.locator('.transfer-submit').click();
}

const transferOf = async (sid: string) =>
  (await eventually(async () => (await control.tasks()).find((task) => task.raw.transferredFrom === sid), 'the transfer task')).sid;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  workDir = mkdtempSync(join(tmpdir(), 'cc-agent-actions-'));
  demo = await startTestDemo(workDir);
  control = new SandboxControl(demo.sandbox.url);
  mkdirSync(SCREENSHOTS, { recursive: true });
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

test(
  'the page is signed in as the first worker by default, as another with ?worker=, and names the workers for an unknown one',
  { timeout: 60_000 },
  async () => {
    const page = await context.newPage();
    await page.goto(demo.urls.agent);
    await page.locator('.agent-view[data-worker="alice"]').waitFor(WAIT);
    assert.deepEqual(await page.locator('.worker-picker option').allTextContents(), ['alice', 'bob', 'carol']);
    await page.locator('.worker-picker select').selectOption('carol');
    await page.locator('.agent-view[data-worker="carol"]').waitFor(WAIT);
    assert.match(page.url(), /\?worker=carol$/);
    await page.goto(`${demo.urls.agent}?worker=mallory`);
    await page.locator('.notice', { hasText: 'Sign in as one of: alice, bob, carol' }).waitFor(WAIT);
    await page.close();
  },
);

test("Flex's reject button: the stand-in keeps the task pending, gone from this worker's list, still offered to the others", { timeout: 90_000 }, async () => {
  const sid = await chatAppTask('Rita Levi');
  const alice = await agentView('alice');
  const bob = await agentView('bob');
  await alice.locator(`.task[data-sid="${sid}"] .Twilio-TaskButton-Reject`).click();
  await alice.locator(`.task[data-sid="${sid}"]`).waitFor({ state: 'detached', ...WAIT });
  assert.equal(await statusOf(sid), 'pending');
  assert.equal(await alice.locator('.canvas .notice').count(), 0, 'no error shown');
  await bob.reload();
  await bob.locator(`.task[data-sid="${sid}"][data-status="pending"]`).waitFor(WAIT);
  await alice.close();
  await bob.close();
});

test("Flex's End chat puts the task in wrap-up in the stand-in, then Complete completes it", { timeout: 90_000 }, async () => {
  const sid = await chatAppTask('Edith Clarke');
  const alice = await agentView('alice');
  await accept(alice, sid);
  assert.equal(await completeButtons(alice).count(), 0, 'a live chat goes through wrap-up: nothing completes it yet');
  await headerButton(alice, 'End').click();
  await alice.locator(`.canvas[data-sid="${sid}"][data-status="wrapping"]`).waitFor(WAIT);
  assert.equal(await statusOf(sid), 'wrapping');
  assert.equal(await alice.locator('.composer').count(), 0, 'no replies in wrap-up');
  assert.equal(await completeButtons(alice).count(), 1, "one Complete button in wrap-up, Flex's");
  await headerButton(alice, 'Complete').click();
  await eventually(async () => (await statusOf(sid)) === 'completed', 'the task completed');
  await alice.locator(`.task[data-sid="${sid}"]`).waitFor({ state: 'detached', ...WAIT });
  await alice.close();
});

test(
  "a cold transfer from alice's view to bob's: the customer writes during the hand-over, bob gets the task as a transfer, answers, the customer sees every message once, in order",
  { timeout: 180_000 },
  async () => {
    const name = 'Hedy Lamarr';
    const visitor = await context.newPage();
    const say = async (text: string) => {
      await visitor.locator('.cc-input').fill(text);
      await visitor.locator('.cc-send').click();
      await visitor.locator('.cc-visitor[data-state="delivered"], .cc-visitor[data-state="read"]', { hasText: text }).waitFor(WAIT);
    };
    await visitor.goto(demo.urls.webchat);
    await visitor.locator('.cc-name-input').fill(name);
    await visitor.locator('.cc-name-submit').click();
    await visitor.locator('#cc-webchat[data-connection="online"]').waitFor(WAIT);
    await say('My invoice is wrong');
    const first = await firstTaskOf(name);

    // Alice accepts; opening the conversation reads it: the visitor sees "Read".
    const alice = await agentView('alice');
    await accept(alice, first);
    await visitor.locator('.cc-visitor[data-state="read"]', { hasText: 'My invoice is wrong' }).waitFor(WAIT);
    await alice.locator('.reply-input').fill('Billing can fix that, one moment.');
    await alice.locator('.send').click();
    await visitor.locator('.cc-agent .cc-text', { hasText: 'Billing can fix that' }).waitFor(WAIT);

    // Alice transfers to bob (cold): her task goes to wrap-up; the customer keeps writing.
    assert.deepEqual(await alice.locator('.transfer optgroup[label="Agents"] option').allTextContents(), ['bob', 'carol'], 'not to herself');
    await transfer(alice, 'bob', 'COLD');
    const second = await transferOf(first);
    await alice.locator(`.canvas[data-sid="${first}"][data-status="wrapping"]`).waitFor(WAIT);
    assert.equal(await alice.locator(`.task[data-sid="${second}"]`).count(), 0, 'the transfer is not offered back to alice');
    await say('It says 120 instead of 100');
    await say('Are you still there?');

    // Bob's view: the task with the channel's icon, Flex's transfer label and the demo's badge.
    const bob = await agentView('bob');
    const offered = bob.locator(`.task[data-sid="${second}"][data-status="pending"]`);
    await offered.waitFor(WAIT);
    assert.equal(await offered.locator(FLEX_ICON).getAttribute('alt'), 'Website chat');
    assert.equal(await offered.locator('.Twilio-TaskListBaseItem-FirstLine').textContent(), name);
    assert.match((await offered.locator('[aria-label]').first().getAttribute('aria-label')) ?? '', /^Transferred from alice\./);
    assert.equal(await offered.locator('.transfer-badge').textContent(), 'Transferred from alice (cold)');
    assert.equal(await (await agentView('carol')).locator(`.task[data-sid="${second}"]`).count(), 0, 'a transfer to bob is offered to bob only');
    await bob.screenshot({ path: join(SCREENSHOTS, 'demo-agent-transfer.png') });

    await accept(bob, second);
    assert.equal((await control.tasks()).find((task) => task.sid === second)?.raw.agent, 'bob');
    const transcript = ['My invoice is wrong', 'Billing can fix that, one moment.', 'It says 120 instead of 100', 'Are you still there?'];
    await eventually(async () => (await bob.locator('.message .text').allTextContents()).length === transcript.length, "bob's transcript");
    assert.deepEqual(await bob.locator('.message .text').allTextContents(), transcript);
    assert.equal(await bob.locator('.message.from-agent .author').textContent(), 'alice (agent)');
    await visitor.locator('.cc-visitor[data-state="read"]', { hasText: 'Are you still there?' }).waitFor(WAIT);
    await bob.locator('.reply-input').fill('Bob from billing here: fixed, it is 100.');
    await bob.locator('.send').click();
    await visitor.locator('.cc-agent .cc-text', { hasText: 'Bob from billing here' }).waitFor(WAIT);
    await bob.screenshot({ path: join(SCREENSHOTS, 'demo-agent-transfer-accepted.png') });

    // Alice completes her part; the chat goes on with bob until he completes.
    await headerButton(alice, 'Complete').click();
    await alice.locator(`.task[data-sid="${first}"]`).waitFor({ state: 'detached', ...WAIT });
    assert.equal(await visitor.locator('.cc-system[data-kind="ended"]').count(), 0, 'the chat has not ended');
    assert.deepEqual(await visitor.locator('.cc-agent .cc-text').allTextContents(), [
      'Billing can fix that, one moment.',
      'Bob from billing here: fixed, it is 100.',
    ]);
    assert.deepEqual(await visitor.locator('.cc-visitor .cc-text').allTextContents(), [transcript[0], transcript[2], transcript[3]]);
    await headerButton(bob, 'End').click();
    await visitor.locator('.cc-system[data-kind="ended"]').waitFor(WAIT);
    await visitor.close();
  },
);

test(
  'a warm transfer to a queue: alice keeps the chat until carol accepts from the queue; carol sees what the customer wrote meanwhile',
  { timeout: 120_000 },
  async () => {
    const name = 'Lise Meitner';
    const first = await chatAppTask(name);
    const alice = await agentView('alice');
    await accept(alice, first);
    await transfer(alice, 'Support', 'WARM');
    const second = await transferOf(first);
    assert.equal((await control.tasks()).find((task) => task.sid === second)?.raw.taskQueueSid, await control.queueSid('Support'));
    assert.equal(await statusOf(first), 'assigned', 'warm: alice stays until someone accepts');
    await chatAppSays(name, 'm-during-handover', 'Still waiting for Support');

    const carol = await agentView('carol');
    const offered = carol.locator(`.task[data-sid="${second}"][data-status="pending"]`);
    await offered.waitFor(WAIT);
    assert.equal(await offered.locator('.transfer-badge').textContent(), 'Transferred from alice (warm)');
    assert.equal(await offered.locator(FLEX_ICON).getAttribute('alt'), 'ChatApp');
    await accept(carol, second);
    await eventually(async () => (await statusOf(first)) === 'wrapping', "alice's task in wrap-up once carol accepted");
    await carol.locator('.message.from-customer .text', { hasText: 'Still waiting for Support' }).waitFor(WAIT);
    assert.deepEqual(await carol.locator('.message .text').allTextContents(), [`Hello from ${name}`, 'Still waiting for Support']);
    await alice.locator(`.canvas[data-sid="${first}"][data-status="wrapping"]`).waitFor(WAIT);
    await headerButton(alice, 'Complete').click();
    await eventually(async () => (await statusOf(first)) === 'completed', "alice's task completed");
    assert.equal(await statusOf(second), 'assigned', "carol's chat goes on");
  },
);

/** A customer of the stand-in's page (Telegram, LINE or Viber) writes, as its page does; resolves to the task's SID. */
async function messengerTask(pageUrl: string, name: string): Promise<string> {
  const post = (path: string, body: unknown) =>
    fetch(new URL(path, pageUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const user: unknown = await (await post('sandbox/users', { name })).json();
  assert.equal((await post('sandbox/say', { user, text: `Hello, I am ${name}` })).status, 200);
  return firstTaskOf(name);
}

for (const [displayName, color, pageOf] of [
  ['Telegram', '#229ED9', (urls: Demo['urls']) => urls.telegram],
  ['LINE', '#06C755', (urls: Demo['urls']) => urls.line],
  ['Viber', '#7360F2', (urls: Demo['urls']) => urls.viber],
] as const) {
  test(`a ${displayName} task has its channel's icon, color and panel in the agent view`, { timeout: 90_000 }, async () => {
    const name = `${displayName} Customer`;
    const sid = await messengerTask(pageOf(demo.urls), name);
    const alice = await agentView('alice');
    const task = alice.locator(`.task[data-sid="${sid}"]`);
    await task.waitFor(WAIT);
    const icon = task.locator(FLEX_ICON);
    assert.equal(await icon.getAttribute('alt'), displayName);
    assert.ok(
      ((await icon.getAttribute('src')) ?? '').toLowerCase().includes(encodeURIComponent(color).toLowerCase()),
      'the icon is drawn in the channel color',
    );
    assert.equal(await task.locator('.Twilio-TaskListBaseItem-SecondLine').textContent(), `${displayName} message`);
    await accept(alice, sid);
    await alice.locator(`.info-pane [aria-label="${displayName}"]`, { hasText: name }).waitFor(WAIT);
    await alice.close();
  });
}
