/**
 * An agent's first message to a customer the platform no longer lets the kit reach, found out
 * only at delivery: a Telegram user who blocked the bot (403 "bot was blocked by the user") and
 * a LINE user who unfollowed the account (400). Each is tried once, kept as a dead letter, and
 * the agent reads "Not delivered" in the conversation the request opened.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conversationMessages, taskFor, activeConversationSid } from '@custom-channels/test-kit/flex-checks';
import { startHarness, type Harness } from '@custom-channels/test-kit/harness';
import { lineUserId } from '@custom-channels/test-kit/messengers/line-standin';
import { ENDED_TEXT, LINE_TEST, startMessengerStandIns, TELEGRAM_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import { eventually } from '@custom-channels/test-kit/poll';
import { DEFAULT_ENDED_TEXT } from '../../src/messengers/messenger-settings.js';

/** The stand-ins' channels, with agents allowed to start conversations on Telegram and LINE. */
function withOutbound(channelsFile: string): string {
  const file = JSON.parse(readFileSync(channelsFile, 'utf8')) as { channels: Array<Record<string, unknown>> };
  for (const channel of file.channels) if ([TELEGRAM_TEST.channelType, LINE_TEST.channelType].includes(String(channel.channelType))) channel.outbound = true;
  const path = join(mkdtempSync(join(tmpdir(), 'cc-outbound-refusals-')), 'channels.json');
  writeFileSync(path, JSON.stringify(file));
  return path;
}

async function startConversation(harness: Harness, body: Record<string, unknown>) {
  const minted = await fetch(`${harness.sandbox.url}/sandbox/flex-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ worker: 'alice' }),
  });
  const { token } = (await minted.json()) as { token: string };
  return fetch(`${harness.middleware.url}/agent/outbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe("an agent's first message refused at delivery by the messenger", async () => {
  const messengers = await startMessengerStandIns();
  const harness = await startHarness({ routing: 'interactions', env: { ...messengers.env, CHANNELS_FILE: withOutbound(messengers.env.CHANNELS_FILE) } });
  after(async () => {
    await harness.stop();
    await messengers.close();
  });
  const { telegram, line } = messengers;

  /** The customer wrote once, and that conversation ended: a request then opens a new one. */
  async function endedConversation(channelType: string, customerId: string, endedAtPlatform: () => boolean) {
    const task = await taskFor(harness, await activeConversationSid(harness, customerId, channelType));
    await harness.control.accept(task.sid);
    await harness.control.complete(task.sid);
    await eventually(endedAtPlatform, 'the end of the first conversation at the platform');
    await eventually(async () => (await harness.middleware.store.findActiveSession(channelType, customerId)) === undefined, 'the session closed');
  }

  /** The notice the agent reads in the conversation the request opened, once the dead letter is kept. */
  async function refusalOf(channelType: string, customerId: string, reasonPart: string) {
    const conversationSid = await eventually(async () => {
      const session = await harness.middleware.store.findActiveSession(channelType, customerId);
      return session?.state === 'open' && session.resources.agentStartId ? session.resources.conversationSid : undefined;
    }, 'the conversation the request opened');
    const notice = await eventually(
      async () => (await conversationMessages(harness, conversationSid)).find((message) => message.attributes.systemNotice === 'message_not_delivered'),
      'the notice to the agent',
    );
    const letter = await eventually(
      async () => (await harness.middleware.store.listDeadLetters({ queue: 'to-channel' })).find((dead) => dead.reason.includes(reasonPart)),
      'the dead letter',
    );
    return { notice: notice.body, letter };
  }

  test('Telegram: a user who blocked the bot since; 403, tried once, a dead letter and "Not delivered" for the agent', async () => {
    const user = { id: 5559001, first_name: 'Olga' };
    assert.equal(
      (
        await telegram.deliver(telegram.textUpdate(user, 'hello'), {
          url: `${harness.middleware.url}/channels/telegram/${TELEGRAM_TEST.channelType}`,
          secretToken: TELEGRAM_TEST.secret,
        })
      ).status,
      200,
    );
    const sentToUser = () => telegram.sent.filter((message) => message.chat_id === String(user.id));
    await endedConversation(TELEGRAM_TEST.channelType, String(user.id), () => sentToUser().some((message) => message.text === ENDED_TEXT));
    telegram.blockedBy(user);
    const attemptsBefore = telegram.sendAttempts.length;

    const answer = await startConversation(harness, {
      channelType: TELEGRAM_TEST.channelType,
      customerId: String(user.id),
      text: 'About your order',
      requestId: 'req-blocked-01',
    });
    assert.equal(answer.status, 202);
    const { notice, letter } = await refusalOf(TELEGRAM_TEST.channelType, String(user.id), 'blocked');
    assert.equal(letter.reason, 'Telegram answered 403: Forbidden: bot was blocked by the user');
    assert.equal(
      notice,
      `Not delivered: ${TELEGRAM_TEST.channelType} refused this message (Telegram answered 403: Forbidden: bot was blocked by the user). The customer did not get it.`,
    );
    assert.equal(telegram.sendAttempts.length - attemptsBefore, 1, 'tried once, not retried');
  });

  test('LINE: a user who unfollowed the account since; 400, tried once, a dead letter and "Not delivered" for the agent', async () => {
    const user = { userId: lineUserId(), displayName: 'Lena' };
    assert.equal(
      (await line.deliver(line.textCallback(user, 'hello'), { url: `${harness.middleware.url}/channels/line/${LINE_TEST.channelType}` })).status,
      200,
    );
    const pushedToUser = () => line.pushed.filter((message) => message.to === user.userId);
    await endedConversation(LINE_TEST.channelType, user.userId, () => pushedToUser().some((message) => message.text === DEFAULT_ENDED_TEXT));
    line.unfollowedBy(user);
    const attemptsBefore = line.pushAttempts.length;

    const answer = await startConversation(harness, {
      channelType: LINE_TEST.channelType,
      customerId: user.userId,
      text: 'About your order',
      requestId: 'req-unfollowed-01',
    });
    assert.equal(answer.status, 202);
    assert.match(((await answer.json()) as { notice: string }).notice, /monthly message quota/);
    const { notice, letter } = await refusalOf(LINE_TEST.channelType, user.userId, 'Failed to send messages');
    assert.equal(letter.reason, 'LINE answered 400: Failed to send messages');
    assert.equal(
      notice,
      `Not delivered: ${LINE_TEST.channelType} refused this message (LINE answered 400: Failed to send messages). The customer did not get it.`,
    );
    assert.deepEqual(
      line.pushAttempts.slice(attemptsBefore).map((attempt) => attempt.status),
      [400],
      'tried once, not retried',
    );
  });
});
