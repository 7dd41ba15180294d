import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { twilioClientFor } from '@custom-channels/twilio-sandbox/twilio-client';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, useBrowserDemo, WAIT } from './browser-demo.js';
import { DEMO_TEMPLATE_NAME } from '../src/content-templates.js';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';
import { eventually } from '@custom-channels/test-kit/poll';

/**
 * Rich messages in a real browser: a bot, or the agent with the plugin's template control in the
 * agent view (Flex's components with the built plugin), posts a quick reply template (Content API)
 * into the web chat visitor's conversation; the widget shows its buttons; the visitor taps one,
 * and the agent sees the question as a card and the selection as a chip, with its id in the
 * message attributes.
 */

const setup = useBrowserDemo('cc-rich-test-');

test('a bot asks with quick reply buttons in the web chat; the visitor taps one; the agent reads the selection', { timeout: 180_000 }, async () => {
  const visitor = await (await setup.openBrowser()).newPage();
  const agent = await (await setup.openBrowser()).newPage();
  const name = 'Grace Hopper';
  await visitor.goto(setup.demo.urls.webchat);
  await visitor.locator('.cc-name-input').fill(name);
  await visitor.locator('.cc-name-submit').click();
  await visitor.locator('#cc-webchat[data-connection="online"]').waitFor(WAIT);
  await visitor.locator('.cc-input').fill('My parcel has not arrived');
  await visitor.locator('.cc-send').click();

  await agent.goto(setup.demo.urls.agent);
  const task = agent.locator('.task[data-channel="webchat"]').first();
  await task.and(agent.locator('[data-status="pending"]')).waitFor(WAIT);
  await task.locator('.Twilio-TaskButton-Accept').click();
  await agent.locator('.composer').waitFor({ state: 'visible', ...WAIT });
  const accepted = await eventually(async () => (await new SandboxControl(setup.demo.sandbox.url).tasks()).find((t) => t.attributes.name === name), 'the task');
  const conversationSid = String(accepted.attributes.conversationSid);

  const twilio = twilioClientFor(setup.demo.sandbox);
  const template = await twilio.content.v1.contents.create({
    friendly_name: 'was_this_helpful',
    language: 'en',
    types: {
      'twilio/quick-reply': {
        body: 'Did that answer your question, {{1}}?',
        actions: [
          { title: 'Yes', id: 'helpful_yes' },
          { title: 'No', id: 'helpful_no' },
        ],
      },
    },
  } as never);
  await twilio.conversations.v1
    .conversations(conversationSid)
    .messages.create({ author: 'bot', contentSid: template.sid, attributes: JSON.stringify({ contentVariables: { 1: 'Grace' } }) });

  const question = visitor.locator('.cc-agent .cc-rich-quick-reply');
  await question.locator('.cc-text', { hasText: 'Did that answer your question, Grace?' }).waitFor(WAIT);
  assert.deepEqual(await question.locator('.cc-rich-option').allTextContents(), ['Yes', 'No']);
  await visitor.screenshot({ path: join(SCREENSHOTS, 'webchat-quick-reply.png') });
  await question.locator('.cc-rich-option', { hasText: 'No' }).click();
  await visitor.locator('.cc-visitor .cc-text', { hasText: 'Selected: No' }).waitFor(WAIT);
  assert.equal(await question.locator('.cc-rich-option:disabled').count(), 2, 'answered: the buttons take no second tap');

  await agent.locator('.message.from-customer .CustomChannels-Selection', { hasText: 'No' }).waitFor(WAIT);
  await agent.screenshot({ path: join(SCREENSHOTS, 'agent-quick-reply-selection.png') });
  const messages = await twilio.conversations.v1.conversations(conversationSid).messages.list({ order: 'desc', limit: 5 });
  const selection = messages.map((m) => JSON.parse(m.attributes) as { selection?: unknown }).find((a) => a.selection)?.selection;
  assert.deepEqual(selection, { id: 'helpful_no', title: 'No', source: 'button' });
});

/** A web chat visitor who has said something, and the agent who accepted their task in the agent view. */
async function visitorWithAgent(name: string, text: string): Promise<{ visitor: Page; agent: Page; conversationSid: string }> {
  // One browser for both pages (two origins): the machine runs fewer Chromiums.
  const browser = await setup.openBrowser();
  const visitor = await browser.newPage();
  await visitor.goto(setup.demo.urls.webchat);
  await visitor.locator('.cc-name-input').fill(name);
  await visitor.locator('.cc-name-submit').click();
  await visitor.locator('#cc-webchat[data-connection="online"]').waitFor(WAIT);
  await visitor.locator('.cc-input').fill(text);
  await visitor.locator('.cc-send').click();

  const control = new SandboxControl(setup.demo.sandbox.url);
  const task = await eventually(async () => (await control.tasks()).find((t) => t.attributes.name === name && t.status === 'pending'), 'the task');
  const agent = await browser.newPage();
  await agent.goto(setup.demo.urls.agent, { waitUntil: 'domcontentloaded' });
  await agent.locator('#root[data-ready="true"]').waitFor(WAIT);
  const item = agent.locator(`.task[data-sid="${task.sid}"]`);
  await item.and(agent.locator('[data-status="pending"]')).waitFor(WAIT);
  await item.click();
  await item.locator('.Twilio-TaskButton-Accept').click();
  await agent.locator(`.canvas[data-sid="${task.sid}"] .composer`).waitFor({ state: 'visible', ...WAIT });
  return { visitor, agent, conversationSid: String(task.attributes.conversationSid) };
}

test(
  "the agent sends a quick reply from Flex's message input; the visitor taps an option; the agent sees the card and the selection",
  { timeout: 180_000 },
  async () => {
    const { visitor, agent, conversationSid } = await visitorWithAgent('Katherine Johnson', 'Hello, I have a question');

    await agent.getByRole('button', { name: 'Rich message to Website chat' }).click();
    const control = agent.getByRole('dialog', { name: 'Rich message' });
    await control.getByLabel('Template').selectOption({ label: DEMO_TEMPLATE_NAME }, WAIT);
    await control.getByLabel('Variable 1').fill('Katherine');
    await control.getByTestId('custom-channels-rich-preview').filter({ hasText: 'Hi Katherine, what can we help you with?' }).waitFor(WAIT);
    await agent.screenshot({ path: join(SCREENSHOTS, 'agent-rich-message-control.png') });
    await control.getByRole('button', { name: 'Send rich message' }).click();
    await control.waitFor({ state: 'detached', ...WAIT });

    // The agent's own message: a card in Flex's message bubble, not an empty one.
    const card = agent.locator('.message.from-agent .CustomChannels-RichMessageCard[data-rich-type="quick-reply"]');
    await card.filter({ hasText: 'Hi Katherine, what can we help you with?' }).waitFor(WAIT);
    assert.deepEqual(await card.getByRole('listitem').allTextContents(), ['Billing', 'Delivery', 'Returns']);

    const question = visitor.locator('.cc-agent .cc-rich-quick-reply');
    await question.locator('.cc-text', { hasText: 'Hi Katherine, what can we help you with?' }).waitFor(WAIT);
    assert.deepEqual(await question.locator('.cc-rich-option').allTextContents(), ['Billing', 'Delivery', 'Returns']);
    await question.locator('.cc-rich-option', { hasText: 'Delivery' }).click();
    await visitor.locator('.cc-visitor .cc-text', { hasText: 'Selected: Delivery' }).waitFor(WAIT);
    await visitor.screenshot({ path: join(SCREENSHOTS, 'webchat-agent-quick-reply.png') });

    const chip = agent.locator('.message.from-customer .CustomChannels-Selection', { hasText: 'Delivery' });
    await chip.waitFor(WAIT);
    assert.equal(await chip.getAttribute('title'), 'Option id: topic_delivery');
    await agent.screenshot({ path: join(SCREENSHOTS, 'agent-rich-message-selection.png') });
    const messages = await twilioClientFor(setup.demo.sandbox).conversations.v1.conversations(conversationSid).messages.list({ order: 'desc', limit: 5 });
    const selection = messages.map((m) => JSON.parse(m.attributes) as { selection?: unknown }).find((a) => a.selection)?.selection;
    assert.deepEqual(selection, { id: 'topic_delivery', title: 'Delivery', source: 'button' });

    // The plugin's attach button, beside the rich message control, works in the demo too (its Flex action is the demo's).
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024, 32)]);
    await agent.getByTestId('custom-channels-attachment-input').setInputFiles({ name: 'slots.pdf', mimeType: 'application/pdf', buffer: pdf });
    await agent.locator('.message.from-agent [data-attachment="file"] .attachment-name', { hasText: 'slots.pdf' }).waitFor(WAIT);
    await visitor.locator('.cc-agent a[data-attachment="file"] .cc-file-name', { hasText: 'slots.pdf' }).waitFor(WAIT);
  },
);
