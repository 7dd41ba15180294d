import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveChannels, type ChannelRuntime } from '../../src/config/channels.js';
import { FailureError } from '../../src/outbox/failure.js';
import { failureOf, outsideWindow } from '../../src/messengers/instagram/instagram-adapter.js';
import { parseInstagramCallback, selectInstagramEvents } from '../../src/messengers/instagram/instagram-events.js';
import { locateInstagramFile } from '../../src/messengers/instagram/instagram-files.js';
import { instagramMessagesOf } from '../../src/messengers/instagram/instagram-sends.js';

const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';
const definition = { channelType: 'insta', displayName: 'I', color: '#000000', icon: ICON, adapter: 'instagram' as const };
const credentials = { CHANNEL_INSTA_ACCESS_TOKEN: 't', CHANNEL_INSTA_SECRET: '0123456789abcdef0123' };

test('Instagram settings: the token and app secret are required; HUMAN_AGENT_TAG and ACCOUNT_ID are checked when set', () => {
  assert.deepEqual(resolveChannels([definition], {}).problems, [
    'CHANNEL_INSTA_ACCESS_TOKEN is missing: channel "insta" (adapter instagram) sends with the Page access token of the Facebook Page linked to the Instagram account',
    'CHANNEL_INSTA_SECRET is missing: channel "insta" (adapter instagram) verifies webhooks with the App Secret of the Meta app (App settings > Basic)',
  ]);
  assert.deepEqual(resolveChannels([definition], { ...credentials, CHANNEL_INSTA_HUMAN_AGENT_TAG: 'yes', CHANNEL_INSTA_ACCOUNT_ID: 'me' }).problems, [
    'CHANNEL_INSTA_HUMAN_AGENT_TAG must be true or false',
    "CHANNEL_INSTA_ACCOUNT_ID must be the account's numeric id",
  ]);
  const { channels, problems } = resolveChannels([definition], { ...credentials, CHANNEL_INSTA_HUMAN_AGENT_TAG: 'true' });
  assert.deepEqual(problems, []);
  assert.deepEqual(channels[0]!.options, { HUMAN_AGENT_TAG: 'true' });
  assert.equal(channels[0]!.maxMessageLength, 1000, "Instagram's text limit is the default");
  assert.match(resolveChannels([{ ...definition, maxMessageLength: 2000 }], credentials).problems.join(), /more than the 1000 characters/);
});

test("Meta's errors in the failure vocabulary: rate limits throttle, outages retry, the rest is final with Meta's code", () => {
  const error = (status: number, code: number, subcode?: number) => ({ ok: false as const, status, code, message: 'm', ...(subcode ? { subcode } : {}) });
  for (const code of [4, 17, 32, 613]) assert.equal(failureOf(error(400, code)).kind, 'throttled', `code ${code}`);
  assert.deepEqual(failureOf({ ...error(429, 4), retryAfterMs: 2000 }), { kind: 'throttled', reason: 'Instagram answered 4: m', retryAfterMs: 2000 });
  assert.equal(failureOf(error(500, 2)).kind, 'transient');
  assert.equal(failureOf(error(400, 1)).kind, 'transient');
  assert.equal(failureOf({ ok: false, status: 0, code: 0, message: 'Instagram unreachable: TimeoutError' }).kind, 'transient');
  assert.deepEqual(failureOf(error(400, 100, 2018001)), { kind: 'permanent', reason: 'Instagram answered 100/2018001: m' });
  assert.equal(failureOf(error(401, 190)).kind, 'permanent');
  assert.ok(outsideWindow(error(400, 10, 2018278)) && outsideWindow(error(403, 10, 2534022)), "both of Meta's window subcodes close the window");
  assert.ok(!outsideWindow(error(400, 10)) && !outsideWindow(error(400, 10, 2018065)), 'other permission errors do not');
});

test("customers' files are fetched only from Meta's media hosts over https, or from the stand-in named by API_BASE_URL", async () => {
  const channel = { channelType: 'insta' } as ChannelRuntime;
  assert.deepEqual(await locateInstagramFile(channel, 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1'), {
    url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1',
  });
  assert.ok(await locateInstagramFile(channel, 'https://scontent-ams2-1.cdninstagram.com/v/a.jpg'));
  for (const url of [
    'http://lookaside.fbsbx.com/x',
    'https://evil.example/fbsbx.com',
    'https://fbsbx.com.evil.example/x',
    'https://169.254.169.254/',
    'not a url',
  ]) {
    await assert.rejects(locateInstagramFile(channel, url), FailureError, url);
  }
  const standIn = { ...channel, apiBaseUrl: 'http://127.0.0.1:4000' };
  assert.ok(await locateInstagramFile(standIn, 'http://127.0.0.1:4000/cdn/1'));
  await assert.rejects(locateInstagramFile(standIn, 'https://lookaside.fbsbx.com/x'), FailureError);
});

test("with ACCOUNT_ID set, events of another account's entry are not the channel's", () => {
  const event = (sender: string, recipient: string) => ({
    sender: { id: sender },
    recipient: { id: recipient },
    timestamp: 1,
    message: { mid: `m${sender}`, text: 'hi' },
  });
  const parsed = parseInstagramCallback({
    object: 'instagram',
    entry: [
      { id: '111', time: 1, messaging: [event('9', '111')] },
      { id: '222', time: 1, messaging: [event('8', '222')] },
    ],
  });
  assert.ok(parsed.ok);
  const selected = selectInstagramEvents(parsed.callback, '111');
  assert.deepEqual(selected[0], { event: event('9', '111'), customerId: '9' });
  assert.deepEqual(selected[1], { ignored: 'an event for another Instagram account' });
  assert.equal(selectInstagramEvents(parsed.callback, undefined).filter((entry) => 'event' in entry).length, 2);
});

test("an agent's files: the types and sizes Instagram fetches by URL are attachments, anything else a text with the link", () => {
  const file = (contentType: string, size: number | null) => ({ url: 'https://m.example/media/1', contentType, filename: 'f', size });
  assert.deepEqual(
    instagramMessagesOf('see', [file('image/png', 1000), file('image/jpeg', 9 * 1024 * 1024), file('application/pdf', 1000), file('application/zip', 10)]),
    [
      { text: 'see' },
      { attachment: { type: 'image', payload: { url: 'https://m.example/media/1' } } },
      { text: 'f (link valid for a limited time): https://m.example/media/1' },
      { attachment: { type: 'file', payload: { url: 'https://m.example/media/1' } } },
      { text: 'f (link valid for a limited time): https://m.example/media/1' },
    ],
  );
});
