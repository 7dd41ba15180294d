import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Page } from 'playwright-core';
import { SCREENSHOTS, useBrowserDemo, WAIT } from './browser-demo.js';

/**
 * Attachments in a real browser, both ways: the visitor sends a picture the agent sees, the
 * agent sends a PDF the visitor downloads; a type the chat does not take is refused in words;
 * file names stay text.
 */

const setup = useBrowserDemo('cc-attachments-test-', { acceptDownloads: true });

test('a picture from the visitor to the agent, a PDF from the agent to the visitor', { timeout: 180_000 }, async () => {
  const visitor = await (await setup.openBrowser()).newPage();
  const agent = await (await setup.openBrowser()).newPage();
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n% invoice\n'), Buffer.alloc(20_000, 0x20), Buffer.from('\n%%EOF\n')]);
  const pdfName = 'invoice <b>4711</b>.pdf';

  await visitor.goto(setup.demo.urls.webchat);
  // The "photo": a piece of the page itself, a real PNG.
  const picture = await visitor.screenshot({ clip: { x: 0, y: 0, width: 320, height: 200 } });
  await visitor.locator('.cc-name-input').fill('Grace Hopper');
  await visitor.locator('.cc-name-submit').click();
  await visitor.locator('#cc-webchat[data-connection="online"]').waitFor(WAIT);
  await visitor.locator('.cc-attach').waitFor({ state: 'visible', ...WAIT });

  // A type the channel does not take is refused before upload, saying why.
  await visitor.locator('.cc-file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  const refusal = visitor.locator('#cc-text-error');
  await refusal.waitFor({ state: 'visible', ...WAIT });
  assert.equal(await refusal.textContent(), 'notes.txt is text/plain; this chat takes image/*, application/pdf.');

  await visitor.locator('.cc-input').fill('The box arrived like this');
  await visitor.locator('.cc-send').click();
  await visitor.locator('.cc-file-input').setInputFiles({ name: 'broken-box.png', mimeType: 'image/png', buffer: picture });
  await visitor.locator('.cc-visitor[data-state="delivered"] img.cc-thumb').waitFor(WAIT);

  // The agent sees the picture in the conversation.
  await agent.goto(setup.demo.urls.agent);
  const task = agent.locator('.task[data-channel="webchat"][data-status="pending"]').first();
  await task.locator('.Twilio-TaskButton-Accept').click();
  const thumb = agent.locator('.message.from-customer img.attachment-thumb');
  await thumb.waitFor(WAIT);
  await agent.waitForFunction(
    () => {
      const image = document.querySelector<HTMLImageElement>('.message.from-customer img.attachment-thumb');
      return Boolean(image && image.complete && image.naturalWidth > 0);
    },
    undefined,
    WAIT,
  );
  assert.equal(await thumb.getAttribute('alt'), 'broken-box.png');
  assert.equal(await agent.locator('.message.from-customer .text').first().textContent(), 'The box arrived like this');

  // The agent's file is checked against the channel's media before upload, refused in words.
  await agent.locator('.attach-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  const agentRefusal = agent.locator('.attach-error');
  await agentRefusal.waitFor(WAIT);
  assert.equal(await agentRefusal.textContent(), 'notes.txt is text/plain; this chat takes image/*, application/pdf.');

  // The server checks too: a file sent around the page's check is refused, saying why.
  const taskSid = await agent.locator('.canvas').getAttribute('data-sid');
  const direct = await agent.evaluate(async (sid) => {
    const response = await fetch(`/api/tasks/${sid}/media?filename=page.html`, { method: 'POST', headers: { 'content-type': 'text/html' }, body: '<b>x</b>' });
    return { status: response.status, body: await response.json() };
  }, taskSid);
  assert.deepEqual(direct, {
    status: 415,
    body: { error: { code: 'media_not_accepted', message: 'this channel does not take text/html; it takes image/*, application/pdf' } },
  });

  // The agent sends a PDF (its name has markup, which must stay text), shown as being sent
  // while the upload is held; the visitor downloads it.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await agent.route('**/api/tasks/*/media?*', async (route) => {
    await held;
    await route.continue();
  });
  await agent.locator('.attach-input').setInputFiles({ name: pdfName, mimeType: 'application/pdf', buffer: pdf });
  await agent.locator('.attach-status', { hasText: `Sending ${pdfName}…` }).waitFor(WAIT);
  assert.equal(await agent.locator('button.attach').isDisabled(), true, 'no second file while one is sent');
  assert.equal(await agentRefusal.count(), 0, 'the earlier refusal is gone');
  release();
  const sentFile = agent.locator('.message.from-agent [data-attachment="file"]');
  await sentFile.waitFor(WAIT);
  await agent.locator('.attach-status').waitFor({ state: 'detached', ...WAIT });
  assert.equal(await sentFile.locator('.attachment-name').textContent(), pdfName);
  assert.equal(await sentFile.locator('.attachment-size').textContent(), ' 20 KB');
  assert.equal(await agent.locator('.messages b').count(), 0, 'no markup from a file name in the agent view');
  const file = visitor.locator('.cc-agent a[data-attachment="file"]');
  await file.waitFor(WAIT);
  assert.equal(await file.locator('.cc-file-name').textContent(), pdfName);
  assert.equal(await file.locator('.cc-file-size').textContent(), '20 KB');
  assert.equal(await visitor.locator('.cc-messages b').count(), 0, 'no markup from a file name');
  await visitor.screenshot({ path: join(SCREENSHOTS, 'webchat-attachments.png') });
  await agent.screenshot({ path: join(SCREENSHOTS, 'agent-view-attachments.png') });

  const [download] = await Promise.all([visitor.waitForEvent('download', WAIT), file.click()]);
  const saved = join(setup.workDir, 'downloaded.pdf');
  await download.saveAs(saved);
  assert.deepEqual(readFileSync(saved), pdf);
  // Chromium replaces the characters a file system may not take (here < and >) in the saved name.
  assert.match(download.suggestedFilename(), /^invoice .b.4711..b.\.pdf$/);
});

/** Holds the page's pictures (not its icons) until `release`: the test decides when one loads. */
async function holdPictures(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => !url.pathname.endsWith('.svg'),
    async (route) => {
      if (route.request().resourceType() === 'image') await held;
      await route.continue();
    },
  );
  return release;
}

/**
 * Waits until every picture in the list has loaded, then until the list is at its end, and
 * tells how far from its end it stayed: a list left above its end stays there.
 */
async function distanceFromNewest(page: Page, list: string): Promise<number> {
  await page.waitForFunction(
    (selector) =>
      [...document.querySelectorAll(`${selector} img`)].every((image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalHeight > 0),
    list,
    WAIT,
  );
  const distance = (node: Element) => node.scrollHeight - node.scrollTop - node.clientHeight;
  const atEnd = await page
    .waitForFunction(
      (selector) => {
        const node = document.querySelector(selector);
        return node !== null && node.scrollHeight - node.scrollTop - node.clientHeight < 2;
      },
      list,
      { timeout: 5_000 },
    )
    .then(
      () => true,
      () => false,
    );
  return atEnd ? 0 : page.locator(list).evaluate(distance);
}

test('the conversation stays at the newest message when a picture loads, and after a reload', { timeout: 180_000 }, async () => {
  const visitor = await (await setup.openBrowser()).newPage();
  const agent = await (await setup.openBrowser()).newPage();
  await visitor.goto(setup.demo.urls.webchat);
  const picture = await visitor.screenshot({ clip: { x: 0, y: 0, width: 300, height: 400 } });
  await visitor.locator('.cc-name-input').fill('Katherine Johnson');
  await visitor.locator('.cc-name-submit').click();
  await visitor.locator('#cc-webchat[data-connection="online"]').waitFor(WAIT);
  // More messages than the list shows, so that it scrolls.
  for (let line = 1; line <= 12; line++) {
    await visitor.locator('.cc-input').fill(`Line ${line} of the story`);
    await visitor.locator('.cc-send').click();
  }
  await visitor.locator('.cc-visitor[data-state="delivered"]').nth(11).waitFor(WAIT);

  // The agent's pane: the picture arrives after the text, and loads only once released.
  let release = await holdPictures(agent);
  await agent.goto(setup.demo.urls.agent);
  const task = agent.locator('.task[data-channel="webchat"][data-status="pending"]').first();
  await task.locator('.Twilio-TaskButton-Accept').click();
  await agent.locator('.message.from-customer').nth(11).waitFor(WAIT);
  await visitor.locator('.cc-file-input').setInputFiles({ name: 'chart.png', mimeType: 'image/png', buffer: picture });
  await agent.locator('.message.from-customer img.attachment-thumb').waitFor({ state: 'attached', ...WAIT });
  release();
  assert.equal(await distanceFromNewest(agent, '.messages'), 0, "the agent's pane is at the newest message once the picture loaded");

  // After a reload, the history arrives and its picture loads later: still at the newest.
  await agent.unroute(() => true);
  release = await holdPictures(agent);
  await agent.reload();
  await agent.locator('.message.from-customer img.attachment-thumb').waitFor({ state: 'attached', ...WAIT });
  release();
  assert.equal(await distanceFromNewest(agent, '.messages'), 0, "the agent's pane is at the newest message after a reload");

  // The web chat, reloaded with the picture held: history first, then the picture.
  await visitor.locator('.cc-visitor img.cc-thumb').waitFor(WAIT);
  const releaseVisitor = await holdPictures(visitor);
  await visitor.reload({ waitUntil: 'domcontentloaded' });
  const launcher = visitor.locator('.cc-launcher');
  if (await launcher.isVisible()) await launcher.click();
  await visitor.locator('.cc-visitor img.cc-thumb').waitFor({ state: 'attached', ...WAIT });
  releaseVisitor();
  assert.equal(await distanceFromNewest(visitor, '.cc-messages'), 0, 'the web chat is at the newest message after a reload');
});
