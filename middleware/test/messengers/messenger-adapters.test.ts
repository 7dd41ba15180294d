import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lineUserId } from '@custom-channels/test-kit/messengers/line-standin';
import { LINE_TEST, startMessengerStandIns, TELEGRAM_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import { resolveChannels, type ChannelRuntime } from '../../src/config/channels.js';
import type { ChannelEvent } from '../../src/delivery/channel-events.js';
import { createLineAdapter } from '../../src/messengers/line/line-adapter.js';
import { createLineClients, lineProfileName } from '../../src/messengers/line/line-clients.js';
import { createProfileNames } from '../../src/messengers/profile-names.js';
import { createTelegramAdapter } from '../../src/messengers/telegram/telegram-adapter.js';

const ICON = '<svg viewBox="0 0 1 1"></svg>';
const reply = (to: string, id = `IM${Math.random().toString(16).slice(2)}`): ChannelEvent => ({
  type: 'message',
  id,
  conversationSid: 'CH1',
  to: { id: to },
  author: 'agent',
  text: 'hello',
});

describe('the messenger adapters against the platform stand-ins', async () => {
  const messengers = await startMessengerStandIns();
  after(() => messengers.close());
  const { channels, problems } = resolveChannels(
    [
      { channelType: TELEGRAM_TEST.channelType, displayName: 'Telegram', color: '#229ED9', icon: ICON, adapter: 'telegram' },
      { channelType: LINE_TEST.channelType, displayName: 'LINE', color: '#06C755', icon: ICON, adapter: 'line' },
    ],
    messengers.env,
  );
  const [telegramChannel, lineChannel] = channels as [ChannelRuntime, ChannelRuntime];

  test('the channels read their credentials and API address from the environment, and take their platform limit', () => {
    assert.deepEqual(problems, []);
    assert.equal(telegramChannel.accessToken, TELEGRAM_TEST.token);
    assert.equal(telegramChannel.maxMessageLength, 4096);
    assert.equal(lineChannel.maxMessageLength, 5000);
    assert.equal(lineChannel.apiBaseUrl, messengers.line.url);
  });

  test("Telegram's 429 is retried after the retry_after it gives; a chat Telegram does not know is not retried", async () => {
    const adapter = createTelegramAdapter();
    const user = { id: 4440001, first_name: 'Ann' };
    messengers.telegram.knows(user);
    messengers.telegram.throttle(1, 7);
    assert.deepEqual(await adapter.deliver(telegramChannel, reply(String(user.id))), {
      kind: 'throttled',
      reason: 'Telegram answered 429: Too Many Requests: retry after 7',
      retryAfterMs: 7000,
    });
    assert.deepEqual(await adapter.deliver(telegramChannel, reply(String(user.id))), { ok: true });
    const unknown = await adapter.deliver(telegramChannel, reply('999'));
    assert.deepEqual(unknown, { kind: 'permanent', reason: 'Telegram answered 400: Bad Request: chat not found' });
    const revoked = await adapter.deliver({ ...telegramChannel, channelType: 'other', accessToken: '1:revoked' }, reply(String(user.id)));
    assert.deepEqual(revoked, { kind: 'permanent', reason: 'Telegram answered 401: Unauthorized' });
  });

  test('a LINE push sent again after a lost answer is not delivered twice: the retry key makes LINE answer 409', async () => {
    const adapter = createLineAdapter(createLineClients());
    const user = { userId: lineUserId(), displayName: 'Bo' };
    messengers.line.textCallback(user, 'so the stand-in knows the user');
    const event = reply(user.userId);
    assert.deepEqual(await adapter.deliver(lineChannel, event), { ok: true });
    assert.deepEqual(await adapter.deliver(lineChannel, event), { ok: true });
    assert.equal(messengers.line.pushed.filter((message) => message.to === user.userId).length, 1);

    messengers.line.throttle(1, 3);
    const throttled = await adapter.deliver(lineChannel, reply(user.userId));
    assert.deepEqual(throttled, {
      kind: 'throttled',
      reason: 'LINE answered 429: The API rate limit has been exceeded. Try again later.',
      retryAfterMs: 3000,
    });
    const notAUser = await adapter.deliver(lineChannel, reply('not-a-line-user'));
    assert.deepEqual(notAUser, { kind: 'permanent', reason: 'the recipient is not a LINE user id' });
  });

  test('LINE display names are looked up once; a failed lookup is retried only after a while', async () => {
    let clock = 0;
    const profileName = createProfileNames(lineProfileName(createLineClients()), { now: () => clock, failureTtlMs: 1000 });
    const known = { userId: lineUserId(), displayName: 'Cy' };
    messengers.line.textCallback(known, 'so the stand-in knows the user');
    const lookups = () => messengers.line.profileLookups;
    const before = lookups();
    assert.equal(await profileName(lineChannel, known.userId), 'Cy');
    assert.equal(await profileName(lineChannel, known.userId), 'Cy');
    const stranger = lineUserId();
    assert.equal(await profileName(lineChannel, stranger), undefined);
    assert.equal(await profileName(lineChannel, stranger), undefined);
    assert.equal(lookups() - before, 2, 'one lookup for each user');
    clock += 1001;
    assert.equal(await profileName(lineChannel, stranger), undefined);
    assert.equal(lookups() - before, 3, 'the failed one is tried again once its time is up');
  });

  test('a change of agent and a read receipt are acknowledged without a send: the apps have no place to show them', async () => {
    const user = { id: 4440002, first_name: 'Bea' };
    messengers.telegram.knows(user);
    const before = { telegram: messengers.telegram.sent.length, line: messengers.line.pushed.length };
    const to = { id: String(user.id) };
    const silent: ChannelEvent[] = [
      { type: 'agent_changed', id: 'MB1', conversationSid: 'CH1', to, agent: 'bob' },
      { type: 'read', id: 'MB2', conversationSid: 'CH1', to, upTo: '77' },
    ];
    for (const event of silent) {
      assert.deepEqual(await createTelegramAdapter().deliver(telegramChannel, event), { ok: true });
      assert.deepEqual(await createLineAdapter(createLineClients()).deliver(lineChannel, { ...event, to: { id: lineUserId() } }), { ok: true });
    }
    assert.deepEqual({ telegram: messengers.telegram.sent.length, line: messengers.line.pushed.length }, before);
  });

  test('missing credentials and limits over the platform are configuration problems', () => {
    const definition = (adapter: 'telegram' | 'line', extra = {}) => ({
      channelType: 'messenger',
      displayName: 'M',
      color: '#000000',
      icon: ICON,
      adapter,
      ...extra,
    });
    assert.deepEqual(resolveChannels([definition('telegram')], {}).problems, [
      'CHANNEL_MESSENGER_BOT_TOKEN is missing: channel "messenger" (adapter telegram) sends with the token BotFather gave the bot',
      'CHANNEL_MESSENGER_SECRET is missing: channel "messenger" (adapter telegram) verifies webhooks with the secret token Telegram sends with every update (16-256 of A-Z a-z 0-9 _ -)',
    ]);
    const env = { CHANNEL_MESSENGER_ACCESS_TOKEN: 't', CHANNEL_MESSENGER_SECRET: 'a secret with spaces!' };
    assert.deepEqual(resolveChannels([definition('line', { maxMessageLength: 6000 })], env).problems, [
      'channel "messenger" (adapter line): maxMessageLength 6000 is more than the 5000 characters the platform takes in one message',
    ]);
    assert.match(resolveChannels([definition('telegram')], { ...env, CHANNEL_MESSENGER_BOT_TOKEN: 't' }).problems.join(), /may hold only A-Z/);
    const withSecret = { ...env, CHANNEL_MESSENGER_SECRET: 'a-secret-of-16-characters' };
    for (const endedText of ['', '   ', 'x'.repeat(1001)]) {
      assert.deepEqual(resolveChannels([definition('line', { endedText })], withSecret).problems, [
        'channel "messenger" (adapter line): endedText must hold 1 to 1000 characters, not only spaces',
      ]);
    }
  });
});
