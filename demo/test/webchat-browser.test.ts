import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { MAX_TEXT_LENGTH } from '@custom-channels/middleware';
import type { Demo } from '../src/demo.js';
import { startTestDemo } from './test-demo.js';
import { eventually } from '@custom-channels/test-kit/poll';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';

/**
 * The demo in a real browser: Debian's chromium driven by playwright-core. The visitor and
 * the agent each have their own browser (and profile), so the visitor's network can drop
 * while the agent keeps working.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Every run saves its screenshots under test-results/; UPDATE_SCREENSHOTS=1 refreshes the
// README's copies in docs/screenshots/.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const BRAND = '#1F6FEB';
const GREY = '#a0a8bd';
const WAIT = { timeout: 20_000 };
// The channel's icon in Flex's task list item (the plugin draws it as an image).
const FLEX_ICON = '.Twilio-TaskListBaseItem-IconArea img';

let demo: Demo;
let workDir: string;
const contexts: BrowserContext[] = [];

async function openBrowser(regional: { locale?: string; timezoneId?: string } = {}): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(workDir, 'profile-')), {
    ...regional,
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 700 },
  });
  contexts.push(context);
  return context;
}

/** Agent messages the middleware has logged for web chat visitors (delivered, whether or not anyone is online). */
function loggedAgentMessages(): number {
  const db = new Database(demo.databasePath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM webchat_events WHERE event_key LIKE 'agent:%'`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

before(async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `chromium is not installed at ${CHROMIUM}. This test does not skip: install it with "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH).`,
  );
  workDir = mkdtempSync(join(tmpdir(), 'cc-demo-test-'));
  demo = await startTestDemo(workDir);
  mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await demo?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('the demo in a browser: visitor to agent and back, through a network drop, to the end of the chat', { timeout: 180_000 }, async () => {
  const visitorContext = await openBrowser();
  const agentContext = await openBrowser();
  const visitor: Page = await visitorContext.newPage();
  const agent: Page = await agentContext.newPage();
  const widget = visitor.locator('#cc-webchat');
  const say = async (text: string) => {
    await visitor.locator('.cc-input').fill(text);
    await visitor.locator('.cc-send').click();
  };
  const reply = async (text: string) => {
    await agent.locator('.reply-input').fill(text);
    await agent.locator('.send').click();
    await agent.locator('.message.from-agent .text', { hasText: text }).waitFor(WAIT);
  };

  // The visitor gives a name and types (markup in a message must stay text everywhere).
  const name = 'Ada Lovelace';
  await visitor.goto(demo.urls.webchat);
  await visitor.locator('.cc-name-input').fill(name);
  await visitor.locator('.cc-name-submit').click();
  await widget.and(visitor.locator('[data-connection="online"]')).waitFor(WAIT);
  await say('Hello, I need help with <b>my order</b>');
  await visitor.locator('.cc-visitor[data-state="delivered"] .cc-text', { hasText: 'Hello, I need help with <b>my order</b>' }).waitFor(WAIT);

  // The task appears in Flex's task list with the channel's icon, color and templates.
  await agent.goto(demo.urls.agent);
  const task = agent.locator('.task[data-channel="webchat"]').first();
  await task.and(agent.locator('[data-status="pending"]')).waitFor(WAIT);
  const taskIcon = task.locator(FLEX_ICON);
  assert.equal(await taskIcon.getAttribute('alt'), 'Website chat');
  const iconSrc = (await taskIcon.getAttribute('src')) ?? '';
  assert.match(iconSrc, /^data:image\/svg\+xml;charset=utf-8,/);
  assert.ok(iconSrc.includes(encodeURIComponent(BRAND)), 'the icon is drawn in the brand color');
  assert.equal(await task.locator('.Twilio-TaskListBaseItem-FirstLine').textContent(), name);
  assert.equal(await task.locator('.Twilio-TaskListBaseItem-SecondLine').textContent(), 'Website chat · waiting');
  // Flex reads the connected visitor out as online: the middleware's word, as Flex alone never sees them online.
  assert.match((await task.locator('[data-testid="task-item"]').getAttribute('aria-label')) ?? '', /Customer is online/);
  await agent.locator('.canvas [data-component="incoming-task-canvas"]', { hasText: 'wants to chat from the website' }).waitFor(WAIT);

  // The agent accepts with Flex's own button: Flex's AcceptTask action reaches the stand-in.
  await task.locator('.Twilio-TaskButton-Accept').click();
  await agent.locator('.composer').waitFor({ state: 'visible', ...WAIT });
  const control = new SandboxControl(demo.sandbox.url);
  const accepted = (await control.tasks()).find((candidate) => candidate.attributes.name === name);
  assert.equal(accepted?.status, 'assigned', 'the stand-in has the task assigned');
  assert.equal(accepted?.raw.agent, 'alice', 'to the worker the page is signed in as (the first, by default)');
  await agent.locator('.canvas [data-component="task-canvas-header"]', { hasText: `${name} on the website` }).waitFor(WAIT);
  await agent.locator('.info-pane [aria-label="Website chat"]', { hasText: name }).waitFor(WAIT);
  await agent.locator('.message.from-customer .text', { hasText: 'my order' }).waitFor(WAIT);
  assert.equal(await agent.locator('.message.from-customer .text').first().textContent(), 'Hello, I need help with <b>my order</b>');
  assert.equal(await agent.locator('.messages b, .messages img').count(), 0, 'no markup from the customer was rendered');
  await reply('Hi Ada, happy to help. What is the order number?');
  await visitor.locator('.cc-agent .cc-text', { hasText: 'What is the order number?' }).waitFor(WAIT);

  // The visitor's network drops. The agent answers meanwhile; the visitor writes too.
  await visitorContext.setOffline(true);
  await widget.and(visitor.locator('[data-connection="offline"]')).waitFor(WAIT);
  await reply('Let me look that up.');
  await reply('Found it: it ships tomorrow.');
  await say('It is 4711, sorry for the wait');
  await visitor.locator('.cc-visitor[data-state="sending"]', { hasText: 'It is 4711' }).waitFor(WAIT);
  // Both replies were delivered (logged for the visitor) while the visitor was offline.
  await eventually(() => loggedAgentMessages() === 3, 'three agent messages logged for the visitor', 20_000, 50);

  // Back online: the widget reconnects and catches up, in order, each message once.
  await visitorContext.setOffline(false);
  await widget.and(visitor.locator('[data-connection="online"]')).waitFor(WAIT);
  await visitor.locator('.cc-agent .cc-text', { hasText: 'ships tomorrow' }).waitFor(WAIT);
  // The agent has the conversation open: the page reads it, and the visitor sees "Read".
  await visitor.locator('.cc-visitor[data-state="read"]', { hasText: 'It is 4711' }).waitFor(WAIT);
  assert.deepEqual(await visitor.locator('.cc-agent .cc-text').allTextContents(), [
    'Hi Ada, happy to help. What is the order number?',
    'Let me look that up.',
    'Found it: it ships tomorrow.',
  ]);
  assert.deepEqual(await visitor.locator('.cc-visitor .cc-text').allTextContents(), [
    'Hello, I need help with <b>my order</b>',
    'It is 4711, sorry for the wait',
  ]);
  assert.equal(await visitor.locator('.cc-visitor:not([data-state="read"])').count(), 0);
  await agent.locator('.message.from-customer .text', { hasText: 'It is 4711' }).waitFor(WAIT);

  await agent.screenshot({ path: join(SCREENSHOTS, 'demo-agent-view.png') });

  // The channel panel keeps the conversation SID inside its edge, whole on hover, with a copy button.
  const panel = agent.getByRole('region', { name: 'Website chat' });
  const conversationSid = panel.locator('[title^="CH"]');
  await conversationSid.waitFor(WAIT);
  assert.match((await conversationSid.getAttribute('title')) ?? '', /^CH[0-9a-f]{32}$/);
  assert.equal(await conversationSid.textContent(), await conversationSid.getAttribute('title'));
  const [panelBox, sidBox] = [await panel.boundingBox(), await conversationSid.boundingBox()];
  assert.ok(panelBox && sidBox && sidBox.x + sidBox.width <= panelBox.x + panelBox.width, 'the SID ends inside the panel');
  await panel.getByRole('button', { name: 'Copy Conversation' }).waitFor(WAIT);

  // Flex's "End" (its WrapupTask action): the visitor sees the end; the task waits in wrap-up.
  await agent.locator('.canvas [data-component="task-canvas-header"] button', { hasText: 'End' }).click();
  await agent.locator('.canvas[data-status="wrapping"]').waitFor(WAIT);
  await visitor.locator('.cc-system[data-kind="ended"]', { hasText: 'Chat ended' }).waitFor(WAIT);

  // In wrap-up the task is grey; Flex's Complete (its CompleteTask action) takes it off the list.
  await task.and(agent.locator('[data-status="wrapping"]')).waitFor(WAIT);
  assert.ok(((await task.locator(FLEX_ICON).getAttribute('src')) ?? '').toLowerCase().includes(encodeURIComponent(GREY)), 'the icon turns grey');
  await visitor.screenshot({ path: join(SCREENSHOTS, 'demo-webchat.png') });
  await agent.screenshot({ path: join(SCREENSHOTS, 'demo-agent-view-completed.png') });
  await agent.locator('.canvas [data-component="task-canvas-header"] button', { hasText: 'Complete' }).click();
  await task.waitFor({ state: 'detached', ...WAIT });

  // The next message starts a new chat: a new task. Markup from either side stays text.
  const visitorMarkup = 'One more thing! <img src=x onerror="window.pwned=1">';
  const agentMarkup = 'Sure: <script>window.pwned=2</script><img src=x onerror="window.pwned=3">';
  await say(visitorMarkup);
  await visitor.locator('.cc-visitor[data-state="delivered"]', { hasText: 'One more thing!' }).waitFor(WAIT);
  const second = agent.locator('.task[data-channel="webchat"][data-status="pending"]');
  await second.waitFor(WAIT);
  assert.equal(await agent.locator('.task[data-channel="webchat"]').count(), 1, 'the completed task is off the list');
  await second.locator('.Twilio-TaskButton-Accept').click();
  await agent.locator('.message.from-customer .text', { hasText: 'One more thing!' }).waitFor(WAIT);
  assert.equal(await agent.locator('.message.from-customer .text').last().textContent(), visitorMarkup);
  await reply(agentMarkup);
  await visitor.locator('.cc-agent .cc-text', { hasText: 'Sure:' }).waitFor(WAIT);
  assert.equal(await visitor.locator('.cc-agent .cc-text').last().textContent(), agentMarkup);
  assert.equal(await visitor.locator('.cc-messages img, .cc-messages script').count(), 0, 'no markup rendered in the widget');
  assert.equal(await agent.locator('.messages img, .messages script').count(), 0, 'no markup rendered in the agent view');

  assert.equal(await visitor.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  assert.equal(await agent.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
});

/** What the page's `<link rel="icon">` points at, fetched from the page: status and type. */
async function favicon(page: Page): Promise<{ href: string | null; status: number; type: string | null }> {
  return page.evaluate(async () => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) return { href: null, status: 0, type: null };
    const response = await fetch(link.href);
    return { href: link.getAttribute('href'), status: response.status, type: response.headers.get('content-type') };
  });
}

test('both demo pages have a favicon, served with 200', { timeout: 60_000 }, async () => {
  const page = await (await openBrowser()).newPage();
  for (const url of [demo.urls.webchat, demo.urls.agent]) {
    const notFound: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });
    await page.goto(url);
    assert.deepEqual(await favicon(page), { href: 'favicon.svg', status: 200, type: 'image/svg+xml' }, url);
    assert.deepEqual(notFound, [], `nothing the page loads answers 404 (${url})`);
    page.removeAllListeners('response');
  }
});

test(
  "web chat: a blank name and an over-long text say why they are refused; messages show their time in the visitor's locale",
  { timeout: 120_000 },
  async () => {
    const locale = 'de-DE';
    const timeZone = 'Asia/Kolkata';
    const visitor = await (await openBrowser({ locale, timezoneId: timeZone })).newPage();
    await visitor.goto(demo.urls.webchat);
    const nameError = visitor.locator('.cc-field-error#cc-name-error');
    const textError = visitor.locator('.cc-field-error#cc-text-error');

    await visitor.locator('.cc-name-input').fill('   ');
    await visitor.locator('.cc-name-submit').click();
    await nameError.waitFor({ state: 'visible', ...WAIT });
    assert.equal(await nameError.textContent(), 'Please enter your name: spaces alone are not a name.');
    assert.equal(await visitor.locator('.cc-name-input').getAttribute('aria-invalid'), 'true');
    assert.ok(await visitor.locator('.cc-name-form').isVisible(), 'the name form stays');
    await visitor.locator('.cc-name-input').fill('Grace Hopper');
    await nameError.waitFor({ state: 'hidden', ...WAIT });
    await visitor.locator('.cc-name-submit').click();
    await visitor.locator('[data-connection="online"]').first().waitFor(WAIT);

    const tooLong = 'x'.repeat(MAX_TEXT_LENGTH + 1);
    await visitor.locator('.cc-input').fill(tooLong);
    await visitor.locator('.cc-send').click();
    await textError.waitFor({ state: 'visible', ...WAIT });
    assert.equal(await textError.textContent(), 'This message is 32.769 characters long; the limit is 32.768. Shorten it or send it in parts.');
    assert.equal((await visitor.locator('.cc-input').inputValue()).length, tooLong.length, 'the text is kept whole, not cut');
    assert.equal(await visitor.locator('.cc-visitor').count(), 0, 'nothing was sent');

    await visitor.locator('.cc-input').fill('A short question');
    await textError.waitFor({ state: 'hidden', ...WAIT });
    await visitor.locator('.cc-send').click();
    const sent = visitor.locator('.cc-visitor[data-state="delivered"]', { hasText: 'A short question' });
    await sent.waitFor(WAIT);

    const control = new SandboxControl(demo.sandbox.url);
    const task = await eventually(async () => (await control.tasks()).find((candidate) => candidate.attributes.name === 'Grace Hopper'), "the visitor's task");
    await control.accept(task.sid);
    await control.reply(task.sid, 'Hello Grace');
    const answer = visitor.locator('.cc-agent', { hasText: 'Hello Grace' });
    await answer.waitFor(WAIT);

    const inVisitorsLocale = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
    for (const row of [sent, answer]) {
      const time = row.locator('time.cc-time');
      const at = new Date((await time.getAttribute('datetime')) ?? '');
      assert.ok(Math.abs(Date.now() - at.getTime()) < 60_000, "the time is the message's");
      assert.equal(await time.textContent(), inVisitorsLocale.format(at));
    }
  },
);

test(
  'web chat read receipts: "Read" under the visitor\'s messages once the agent has read them; the open chat tells Flex what the visitor has seen',
  { timeout: 120_000 },
  async () => {
    const visitor = await (await openBrowser()).newPage();
    await visitor.goto(demo.urls.webchat);
    await visitor.locator('.cc-name-input').fill('Katherine Johnson');
    await visitor.locator('.cc-name-submit').click();
    await visitor.locator('[data-connection="online"]').first().waitFor(WAIT);
    for (const text of ['First question', 'Second question']) {
      await visitor.locator('.cc-input').fill(text);
      await visitor.locator('.cc-send').click();
      await visitor.locator('.cc-visitor[data-state="delivered"]', { hasText: text }).waitFor(WAIT);
    }

    const control = new SandboxControl(demo.sandbox.url);
    const task = await eventually(
      async () => (await control.tasks()).find((candidate) => candidate.attributes.name === 'Katherine Johnson'),
      "the visitor's task",
    );
    await control.accept(task.sid);
    assert.equal(await visitor.locator('.cc-visitor[data-state="read"]').count(), 0, 'nothing is read before the agent opens the chat');
    await control.read(task.sid);
    await visitor.locator('.cc-visitor[data-state="read"]', { hasText: 'Second question' }).waitFor(WAIT);
    assert.deepEqual(await visitor.locator('.cc-visitor .cc-state').allTextContents(), ['\u2713\u2713 Read', '\u2713\u2713 Read']);

    /** How far the visitor has read, as Twilio keeps it for the agent (the customer participant's LastReadMessageIndex). */
    const visitorHorizon = async () => {
      const response = await fetch(`${demo.sandbox.url}/sandbox/tasks/${task.sid}/messages`);
      const { messages, readHorizons } = (await response.json()) as {
        messages: Array<{ index: number; author: string; body: string }>;
        readHorizons: Array<{ identity: string; lastReadMessageIndex: number | null }>;
      };
      const customer = messages.find((message) => message.body === 'First question')!.author;
      return { messages, horizon: readHorizons.find((entry) => entry.identity === customer)?.lastReadMessageIndex ?? null };
    };
    const indexOf = (messages: Array<{ index: number; body: string }>, body: string) => messages.find((message) => message.body === body)?.index;

    // The chat is open and the reply on screen: Flex learns the visitor has seen it.
    await control.reply(task.sid, 'Answer one');
    await visitor.locator('.cc-agent', { hasText: 'Answer one' }).waitFor(WAIT);
    await eventually(
      async () => {
        const { messages, horizon } = await visitorHorizon();
        return horizon !== null && horizon === indexOf(messages, 'Answer one');
      },
      "the visitor's horizon at the reply",
      20_000,
    );

    // The chat closed: a reply arrives unseen, and Flex is told only once the visitor opens the chat again.
    await visitor.locator('.cc-close').click();
    await control.reply(task.sid, 'Answer two');
    await eventually(async () => indexOf((await visitorHorizon()).messages, 'Answer two') !== undefined, 'the second reply in Twilio');
    await visitor.locator('.cc-launcher.cc-unread').waitFor(WAIT);
    const { messages, horizon } = await visitorHorizon();
    assert.equal(horizon, indexOf(messages, 'Answer one'), 'a closed chat reports nothing read');
    await visitor.locator('.cc-launcher').click();
    await eventually(
      async () => {
        const now = await visitorHorizon();
        return now.horizon === indexOf(now.messages, 'Answer two');
      },
      'the horizon once the chat is open again',
      20_000,
    );
    await visitor.screenshot({ path: join(SCREENSHOTS, 'demo-webchat-read.png') });
  },
);

test('web chat embedded on a site the middleware does not allow: the widget says so and does not reconnect', { timeout: 60_000 }, async () => {
  // A page of another origin than the middleware's, not in WEBCHAT_ALLOWED_ORIGINS (unset in the demo).
  const embedder = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(
      `<!doctype html><title>Embedder</title><script src="${demo.urls.middleware}/webchat/widget.js" data-channel="webchat" data-open="true"></script>`,
    );
  });
  await new Promise<void>((resolve) => embedder.listen(0, '127.0.0.1', resolve));
  try {
    const context = await openBrowser();
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto(`http://127.0.0.1:${(embedder.address() as AddressInfo).port}/`);
    const widget = page.locator('#cc-webchat');
    const settled = await eventually(async () => {
      const state = await widget.getAttribute('data-connection');
      return state !== 'connecting' && state !== null && { state, sockets: sockets.length };
    }, 'the widget settled');
    assert.deepEqual(settled, { state: 'offline', sockets: 1 });
    await page.getByText('This chat is not available on this page.').waitFor(WAIT);
    // Coming back online reconnects at once, unless the page was refused.
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    assert.equal(await widget.getAttribute('data-connection'), 'offline');
    assert.equal(sockets.length, 1);
  } finally {
    embedder.close();
  }
});
