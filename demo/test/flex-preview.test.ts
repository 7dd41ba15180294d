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

test("each custom channel's task list item in Flex shows the channel's icon", { timeout: 120_000 }, async () => {
  const { page } = preview;
  for (const channel of channelsConfig.channels) {
    const item = page.locator(`.preview-task[data-channel="${channel.channelType}"]`);
    // Flex hides the icon from assistive technology (the item's label names the task), so by its alt text.
    const icon = item.locator('.Twilio-TaskListBaseItem-IconArea img').and(item.getByAltText(channel.displayName));
    await icon.waitFor(WAIT);
    assert.ok(await icon.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'icon drawn');
    assert.match((await icon.getAttribute('src')) ?? '', new RegExp(encodeURIComponent(channel.color)));
  }
  const saved = await saveScreenshots(page, SCREENSHOTS);
  assert.ok(saved.every((path) => existsSync(path)));
});
