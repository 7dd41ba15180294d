import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startJsonServer } from '@custom-channels/test-kit/messengers/json-server';
import { INSTAGRAM_TEST, LINE_TEST, startMessengerStandIns, TELEGRAM_TEST, VIBER_TEST } from '@custom-channels/test-kit/messengers/messenger-channels';
import { instagramVerifyToken } from '../../src/messengers/instagram/instagram-signature.js';
import { startFixture } from './helpers.js';

const PUBLIC_BASE_URL = 'https://support.example.com';

describe('setup registers the Telegram, LINE and Viber webhooks', async () => {
  const fixture = await startFixture();
  const messengers = await startMessengerStandIns();
  // The middleware as Viber's check of set_webhook reaches it (the signature is checked by the webhook's own tests).
  const checks: Array<{ path: string; event: unknown; signed: boolean }> = [];
  const middlewareStandIn = await startJsonServer(({ path, headers, body }) => {
    checks.push({ path, event: (body as { event?: unknown }).event, signed: /^[0-9a-f]{64}$/.test(String(headers['x-viber-content-signature'])) });
    return { status: 200, body: {} };
  });
  messengers.viber.checkWebhooksVia(middlewareStandIn.url);
  after(async () => {
    await fixture.stop();
    await messengers.close();
    await middlewareStandIn.close();
  });
  const env = { ...fixture.env, ...messengers.env, PUBLIC_BASE_URL };
  const telegramUrl = `${PUBLIC_BASE_URL}/channels/telegram/${TELEGRAM_TEST.channelType}`;
  const lineUrl = `${PUBLIC_BASE_URL}/channels/line/${LINE_TEST.channelType}`;
  const viberUrl = `${PUBLIC_BASE_URL}/channels/viber/${VIBER_TEST.channelType}`;

  test('the first run sets both webhooks: Telegram with the secret token and the updates the channel reads', async () => {
    const result = await fixture.runWith(env, 'conversations');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, new RegExp(`set +Telegram webhook of channel "telegram" → ${telegramUrl}`));
    assert.match(result.out, new RegExp(`set +LINE webhook of channel "line-oa" → ${lineUrl}`));
    assert.deepEqual(messengers.telegram.webhook, {
      url: telegramUrl,
      secret_token: TELEGRAM_TEST.secret,
      allowed_updates: ['message', 'edited_message', 'callback_query'],
    });
    assert.equal(messengers.line.endpoint, lineUrl);
    assert.match(result.out, new RegExp(`set +Viber webhook of channel "viber-bot" → ${viberUrl}`));
    assert.deepEqual(messengers.viber.webhook, {
      url: viberUrl,
      event_types: ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'],
    });
    assert.deepEqual(checks, [{ path: '/channels/viber/viber-bot', event: 'webhook', signed: true }], 'Viber checked the URL with a signed callback');
    assert.match(result.out, /Messaging API tab, turn "Use webhook" on/);
    assert.match(result.out, /open your bot in Telegram, press Start/);
    for (const secret of [TELEGRAM_TEST.token, TELEGRAM_TEST.secret, LINE_TEST.accessToken, LINE_TEST.channelSecret, VIBER_TEST.authToken]) {
      assert.ok(!result.out.includes(secret), 'no credential in the output');
    }
  });

  test('a second run changes nothing', async () => {
    const result = await fixture.runWith(env, 'conversations');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /unchanged +Telegram webhook of channel "telegram"/);
    assert.match(result.out, /unchanged +LINE webhook of channel "line-oa"/);
    assert.match(result.out, /unchanged +Viber webhook of channel "viber-bot"/);
    assert.equal(messengers.line.endpoint, lineUrl);
  });

  test('a dry run after the public URL moved says what it would set, and sets nothing', async () => {
    const moved = { ...env, PUBLIC_BASE_URL: 'https://new.example.com' };
    const result = await fixture.runWith(moved, 'conversations', '--dry-run');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /would set +Telegram webhook of channel "telegram" → https:\/\/new\.example\.com\/channels\/telegram\/telegram \(URL drifted\)/);
    assert.match(result.out, /would set +LINE webhook of channel "line-oa" → https:\/\/new\.example\.com\/channels\/line\/line-oa \(the endpoint drifted\)/);
    assert.match(result.out, /would set +Viber webhook of channel "viber-bot" → https:\/\/new\.example\.com\/channels\/viber\/viber-bot \(the URL drifted\)/);
    assert.equal(messengers.viber.webhook?.url, viberUrl);
    assert.equal(messengers.telegram.webhook?.url, telegramUrl);
    assert.equal(messengers.line.endpoint, lineUrl);
  });

  test('the run that applies a moved public URL says what drifted in the words of the dry run', async () => {
    const moved = { ...env, PUBLIC_BASE_URL: 'https://new.example.com' };
    const result = await fixture.runWith(moved, 'conversations');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /set +Telegram webhook of channel "telegram" → https:\/\/new\.example\.com\/channels\/telegram\/telegram \(URL drifted\)/);
    assert.match(result.out, /set +LINE webhook of channel "line-oa" → https:\/\/new\.example\.com\/channels\/line\/line-oa \(the endpoint drifted\)/);
    const back = await fixture.runWith(env, 'conversations');
    assert.equal(back.code, 0, back.err);
  });

  test('without PUBLIC_BASE_URL, the channels whose credentials are missing are listed in the same run', async () => {
    const { PUBLIC_BASE_URL: _url, CHANNEL_LINE_OA_ACCESS_TOKEN: _token, ...withNeither } = env;
    const result = await fixture.runWith(withNeither, 'conversations', '--dry-run');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /not set +the platforms send webhooks to an https URL only: set PUBLIC_BASE_URL/);
    assert.match(result.out, /not set +LINE webhook of channel "line-oa": its credentials are missing/);
    assert.match(result.out, /\d+\. Set PUBLIC_BASE_URL in /);
    assert.match(result.out, /\d+\. Channel "line-oa": CHANNEL_LINE_OA_ACCESS_TOKEN is missing/);
    assert.doesNotMatch(result.out, /Telegram webhook of channel "telegram"/, 'nothing is registered without the public URL');
    assert.equal(messengers.line.endpoint, lineUrl);
  });

  test('without an https public URL, or without credentials, nothing is registered and the remaining steps say why', async () => {
    const noUrl = await fixture.runWith({ ...env, PUBLIC_BASE_URL: 'http://127.0.0.1:3000' }, 'conversations');
    assert.equal(noUrl.code, 0, noUrl.err);
    assert.match(noUrl.out, /not set +the platforms send webhooks to an https URL only/);
    const { CHANNEL_LINE_OA_ACCESS_TOKEN: _token, ...withoutLineToken } = env;
    const noToken = await fixture.runWith(withoutLineToken, 'conversations');
    assert.equal(noToken.code, 0, noToken.err);
    assert.match(noToken.out, /not set +LINE webhook of channel "line-oa": its credentials are missing/);
    assert.match(noToken.out, /CHANNEL_LINE_OA_ACCESS_TOKEN is missing/);
  });

  test('a bot token Telegram refuses stops the run with one line naming the variable', async () => {
    const result = await fixture.runWith({ ...env, CHANNEL_TELEGRAM_BOT_TOKEN: '1:not-the-token' }, 'conversations');
    assert.equal(result.code, 1);
    assert.equal(
      result.err,
      'setup: Telegram refused the bot token of channel "telegram" while reading the webhook: check CHANNEL_TELEGRAM_BOT_TOKEN (from BotFather)',
    );
  });

  test("Instagram: setup checks that the token reads the account and prints the callback URL and verify token for Meta's console", async () => {
    const result = await fixture.runWith(env, 'conversations');
    assert.equal(result.code, 0, result.err);
    const instagramUrl = `${PUBLIC_BASE_URL}/channels/instagram/${INSTAGRAM_TEST.channelType}`;
    const verifyToken = instagramVerifyToken(INSTAGRAM_TEST.appSecret, INSTAGRAM_TEST.channelType);
    assert.match(result.out, new RegExp(`checked +Instagram webhook of channel "instagram" → ${instagramUrl} \\(.*verify token ${verifyToken}\\)`));
    assert.match(result.out, /instagram_manage_messages/);
    assert.match(result.out, /subscribe the fields messages, messaging_postbacks, messaging_seen and message_reactions/);
    for (const secret of [INSTAGRAM_TEST.accessToken, INSTAGRAM_TEST.appSecret]) assert.ok(!result.out.includes(secret), 'no credential in the output');

    const refused = await fixture.runWith({ ...env, CHANNEL_INSTAGRAM_ACCESS_TOKEN: 'EAAnot-the-token' }, 'conversations');
    assert.equal(refused.code, 1);
    assert.equal(refused.err, 'setup: Instagram refused the Page access token of channel "instagram": check CHANNEL_INSTAGRAM_ACCESS_TOKEN');
  });

  test('Viber checks the URL at once: when the middleware does not answer there, the run stops with one line saying so', async () => {
    messengers.viber.checkWebhooksVia(undefined);
    try {
      const result = await fixture.runWith({ ...env, PUBLIC_BASE_URL: 'https://unreachable.example.test' }, 'conversations');
      assert.equal(result.code, 1);
      assert.match(result.err, /^setup: Viber answered 1 while setting the webhook for channel "viber-bot": .*the middleware must answer at the URL/);
    } finally {
      messengers.viber.checkWebhooksVia(middlewareStandIn.url);
    }
  });

  test('an auth token Viber refuses stops the run with one line naming the variable', async () => {
    const result = await fixture.runWith({ ...env, CHANNEL_VIBER_BOT_AUTH_TOKEN: 'not-the-auth-token-0123456789' }, 'conversations');
    assert.equal(result.code, 1);
    assert.equal(result.err, 'setup: Viber refused the auth token of channel "viber-bot" while reading the account: check CHANNEL_VIBER_BOT_AUTH_TOKEN');
  });
});
