import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { twilioClientFor } from '@custom-channels/twilio-sandbox/twilio-client';
import { SCREENSHOTS, useBrowserDemo, WAIT } from './browser-demo.js';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';
import { eventually } from '@custom-channels/test-kit/poll';

/**
 * A rich message in a real browser: a bot posts a quick reply template (Content API) into the
 * web chat visitor's conversation; the widget shows its buttons; the visitor taps one, and the
 * agent reads the selection, with its id in the message attributes.
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

  await agent.locator('.message.from-customer .text', { hasText: 'Selected: No' }).waitFor(WAIT);
  await agent.screenshot({ path: join(SCREENSHOTS, 'agent-quick-reply-selection.png') });
  const messages = await twilio.conversations.v1.conversations(conversationSid).messages.list({ order: 'desc', limit: 5 });
  const selection = messages.map((m) => JSON.parse(m.attributes) as { selection?: unknown }).find((a) => a.selection)?.selection;
  assert.deepEqual(selection, { id: 'helpful_no', title: 'No', source: 'button' });
});
