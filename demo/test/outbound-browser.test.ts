import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Page } from 'playwright-core';
import { SCREENSHOTS, useBrowserDemo, WAIT } from './browser-demo.js';
import { eventually } from '@custom-channels/test-kit/poll';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';

/**
 * Agents start the conversation, in the real Flex UI: the plugin's New message control in
 * Flex's main header calls the demo's middleware with the agent's Flex token (issued by the
 * stand-in, validated by the middleware against it); the customer gets the message, replies,
 * and the agent reads the reply in the task the message opened.
 */

const setup = useBrowserDemo('cc-demo-outbound-');
/** The stand-in's control API, once the demo has started. */
const control = () => new SandboxControl(setup.demo.sandbox.url);

/** A customer's earlier chat, over: what makes them reachable (they wrote to the business once). */
async function earlierChatEnded(name: string): Promise<void> {
  const task = await eventually(async () => (await control().tasks()).find((candidate) => candidate.attributes.name === name), `${name}'s first task`);
  await control().accept(task.sid);
  await control().complete(task.sid);
}

/** The Telegram stand-in's customer side: a user who writes to the bot and reads what it sends. */
async function telegramUser(name: string) {
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(new URL(path, setup.demo.urls.telegram), {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(response.status, 200, path);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const user = (await call('sandbox/users', { name })) as { id: number; name: string };
  return {
    id: String(user.id),
    say: (text: string) => call('sandbox/say', { user, text }),
    received: async () => (await call(`sandbox/chats/${user.id}`)).messages as string[],
  };
}

/**
 * The agent writes first from Flex's New message control: types the customer's id, or part of
 * their name and picks them among the matches; the answer shows in the panel.
 */
async function startConversation(agent: Page, channel: string, customer: { id: string; search?: string }, text: string, screenshot?: string): Promise<void> {
  await agent.getByRole('button', { name: 'New message' }).click();
  const panel = agent.getByRole('form', { name: 'Start a conversation' });
  await panel.getByLabel('Channel').selectOption({ label: channel });
  await panel.getByLabel('Customer id').fill(customer.search ?? customer.id);
  if (customer.search) {
    const match = panel.getByRole('list', { name: 'Customers you can write to' }).getByRole('button', { name: customer.id });
    await match.click(WAIT);
    assert.equal(await panel.getByLabel('Customer id').inputValue(), customer.id);
  }
  await panel.getByLabel('First message').fill(text);
  if (screenshot) await agent.screenshot({ path: join(SCREENSHOTS, screenshot) });
  await panel.getByRole('button', { name: 'Send' }).click();
  await panel.getByRole('status').filter({ hasText: 'Sent.' }).waitFor(WAIT);
  await agent.getByRole('button', { name: 'New message' }).click();
}

/** The task the agent's message opened: offered to them, accepted with Flex's button, its conversation open. */
async function acceptOutboundTask(agent: Page, channelType: string, firstMessage: string): Promise<string> {
  const task = agent.locator(`.task[data-channel="${channelType}"][data-status="pending"]`);
  await task.waitFor(WAIT);
  const sid = (await task.getAttribute('data-sid')) ?? '';
  const attributes = (await control().tasks()).find((candidate) => candidate.sid === sid)?.attributes;
  const conversations = (attributes?.conversations ?? {}) as Record<string, unknown>;
  assert.deepEqual({ direction: conversations.direction, initiated_by: conversations.initiated_by }, { direction: 'outbound', initiated_by: 'agent' });
  await task.locator('.Twilio-TaskButton-Accept').click();
  await agent.locator(`.canvas[data-sid="${sid}"] .message.from-agent .text`, { hasText: firstMessage }).waitFor(WAIT);
  return sid;
}

/** The customer's reply is in the same task's conversation, and the customer has one task (no second conversation). */
async function replySeenInTask(agent: Page, taskSid: string, reply: string, customerName: string): Promise<void> {
  await agent.locator(`.canvas[data-sid="${taskSid}"] .message.from-customer .text`, { hasText: reply }).waitFor(WAIT);
  const open = (await control().tasks()).filter((task) => task.attributes.name === customerName && task.status !== 'completed');
  assert.deepEqual(
    open.map((task) => task.sid),
    [taskSid],
  );
}

test(
  'the agent starts a conversation from Flex with a web chat visitor and with a Telegram user; each replies into the same task',
  { timeout: 240_000 },
  async () => {
    // Yesterday's chats: a visitor on the website, a Telegram user who started the bot.
    const visitor = await (await setup.openBrowser()).newPage();
    await visitor.goto(setup.demo.urls.webchat);
    await visitor.locator('.cc-name-input').fill('Mary Jackson');
    await visitor.locator('.cc-name-submit').click();
    await visitor.locator('#cc-webchat[data-connection="online"]').waitFor(WAIT);
    await visitor.locator('.cc-input').fill('Is my order on its way?');
    await visitor.locator('.cc-send').click();
    await earlierChatEnded('Mary Jackson');
    await visitor.locator('.cc-system[data-kind="ended"]').waitFor(WAIT);
    const visitorId = await visitor.evaluate(() => {
      const key = Object.keys(localStorage).find((candidate) => candidate.startsWith('cc-webchat:') && !candidate.endsWith(':pending'));
      return (JSON.parse(localStorage.getItem(key ?? '') ?? '{}') as { visitorId?: string }).visitorId ?? '';
    });
    assert.ok(visitorId, "the visitor's id, as the widget keeps it");

    const telegram = await telegramUser('Dorothy Vaughan');
    await telegram.say('/start');
    await earlierChatEnded('Dorothy Vaughan');
    await eventually(async () => (await telegram.received()).length > 0, 'the end of the first Telegram chat');
    const before = (await telegram.received()).length;

    const agent = await (await setup.openBrowser()).newPage();
    await agent.goto(setup.demo.urls.agent);
    await agent.locator('#root[data-ready="true"]').waitFor(WAIT);

    // Web chat: the visitor, still on the site, gets the message at once and answers.
    await startConversation(agent, 'Website chat', { id: visitorId }, 'Hello Mary, your order ships today.');
    const webchatTask = await acceptOutboundTask(agent, 'webchat', 'Hello Mary, your order ships today.');
    await visitor.locator('.cc-agent .cc-text', { hasText: 'your order ships today' }).waitFor(WAIT);
    await visitor.locator('.cc-input').fill('Wonderful, thank you!');
    await visitor.locator('.cc-send').click();
    await replySeenInTask(agent, webchatTask, 'Wonderful, thank you!', 'Mary Jackson');
    await visitor.screenshot({ path: join(SCREENSHOTS, 'demo-outbound-webchat.png') });
    await agent.screenshot({ path: join(SCREENSHOTS, 'demo-outbound-agent-webchat.png') });

    // Telegram: found by name in the panel; the user gets the bot's message in their chat and answers.
    await startConversation(
      agent,
      'Telegram',
      { id: telegram.id, search: 'dorothy' },
      'Hello Dorothy, your appointment is confirmed.',
      'demo-outbound-new-message.png',
    );
    const telegramTask = await acceptOutboundTask(agent, 'telegram', 'Hello Dorothy, your appointment is confirmed.');
    await eventually(
      async () => (await telegram.received()).slice(before).includes('Hello Dorothy, your appointment is confirmed.'),
      'the message in Telegram',
    );
    await telegram.say('Great, see you then');
    await agent.locator(`.task[data-sid="${telegramTask}"]`).click();
    await replySeenInTask(agent, telegramTask, 'Great, see you then', 'Dorothy Vaughan');
    await agent.screenshot({ path: join(SCREENSHOTS, 'demo-outbound-agent-telegram.png') });
  },
);
