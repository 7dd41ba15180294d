import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import channelsConfig from '../../channels.json' with { type: 'json' };
import { CHROMIUM, openFlexPreview, saveScreenshots, type FlexPreview } from '../src/flex-preview/preview.js';

/**
 * The built plugin in the real Flex UI, in a real browser: Flex's own components for an
 * example task of each configured channel. UPDATE_SCREENSHOTS=1 refreshes the README's copies.
 */

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const WAIT = { timeout: 20_000 };

let preview: FlexPreview;

before(async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `chromium is not installed at ${CHROMIUM}. This test does not skip: install it with "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH).`,
  );
  preview = await openFlexPreview();
});

after(async () => {
  await preview?.close();
});

const GREY = '#a0a8bd';
// The channel's icon in Flex's task list item (the plugin draws it as an image).
const ICON = '.Twilio-TaskListBaseItem-IconArea img';

function listItem(channelType: string, status: string) {
  return preview.page.locator(`.preview-task[data-channel="${channelType}"][data-status="${status}"]`);
}

async function iconColor(channelType: string, status: string, displayName: string): Promise<string> {
  const icon = listItem(channelType, status).locator(ICON).and(preview.page.getByAltText(displayName));
  await icon.waitFor(WAIT);
  assert.ok(await icon.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'icon drawn');
  return decodeURIComponent((await icon.getAttribute('src')) ?? '').toLowerCase();
}

test("each custom channel's task list item in Flex: its icon in the brand color while pending, grey once completed", { timeout: 120_000 }, async () => {
  for (const channel of channelsConfig.channels) {
    assert.ok((await iconColor(channel.channelType, 'reserved', channel.displayName)).includes(channel.color.toLowerCase()), `${channel.channelType} pending`);
    const completed = await iconColor(channel.channelType, 'completed', channel.displayName);
    assert.ok(completed.includes(GREY) && !completed.includes(channel.color.toLowerCase()), `${channel.channelType} completed`);
  }
  const saved = await saveScreenshots(preview.page, SCREENSHOTS);
  assert.ok(saved.every((path) => existsSync(path)));
});

test("each custom channel's templates in Flex's components show the customer's name", { timeout: 60_000 }, async () => {
  const { page } = preview;
  for (const channel of channelsConfig.channels) {
    const item = listItem(channel.channelType, 'reserved');
    const name = (await item.locator('.Twilio-TaskListBaseItem-FirstLine').textContent())?.trim() ?? '';
    assert.match(name, /^[A-Z][a-z]+ [A-Z][a-z]+$/, `${channel.channelType}: the first line is the customer's name`);
    const secondLine = channel.templates.taskListItem.secondLine;
    const pending = typeof secondLine === 'string' ? secondLine : secondLine.Pending;
    assert.equal(await item.locator('.Twilio-TaskListBaseItem-SecondLine').textContent(), pending);
    const parts = page.locator(`.preview-parts[data-channel="${channel.channelType}"]`);
    const header = channel.templates.taskCanvasHeader.title.replace('{{task.attributes.name}}', name);
    await parts.locator('[data-component="task-canvas-header"]', { hasText: header }).waitFor(WAIT);
    await parts.locator('[data-component="incoming-task-canvas"]', { hasText: channel.templates.incomingTaskCanvas.secondLine }).waitFor(WAIT);
    for (const component of ['task-card', 'supervisor-task-canvas-header', 'supervisor-task-overview']) {
      await parts.locator(`[data-component="${component}"]`, { hasText: name }).waitFor(WAIT);
    }
  }
});

test("the plugin's panel is in each custom channel's task canvas, with the customer's profile", { timeout: 60_000 }, async () => {
  for (const channel of channelsConfig.channels) {
    const panel = preview.page.locator(`.preview-task-canvas[data-channel="${channel.channelType}"] [aria-label="${channel.displayName}"]`);
    await panel.waitFor(WAIT);
    for (const entry of channel.profile) assert.ok((await panel.textContent())?.includes(entry.label), `${channel.channelType}: ${entry.label}`);
  }
});

test("Flex's own web and SMS tasks in the same page keep Flex's look", { timeout: 60_000 }, async () => {
  const flexDefaults: Record<string, string> = { web: 'Incoming chat request', sms: 'Incoming SMS request' };
  for (const [channelType, secondLine] of Object.entries(flexDefaults)) {
    const item = listItem(channelType, 'reserved');
    await item.waitFor(WAIT);
    assert.equal(await item.locator(ICON).count(), 0, `${channelType}: no custom icon`);
    assert.equal(await item.locator('.Twilio-TaskListBaseItem-IconArea .Twilio-Icon-Custom').count(), 0);
    assert.equal(await item.locator('.Twilio-TaskListBaseItem-IconArea .Twilio-Icon svg').count(), 1, `${channelType}: Flex's icon`);
    assert.equal((await item.locator('.Twilio-TaskListBaseItem-SecondLine').textContent())?.trim(), secondLine);
    assert.match(
      (await item.locator('.Twilio-TaskListBaseItem-FirstLine').textContent())?.trim() ?? '',
      /^customer-\d+$/,
      "Flex's first line: who the task is from",
    );
  }
});
