/**
 * The Instagram and Viber stand-ins hold the platforms to their documented limits (the README's
 * rich messages section names the pages), so that a renderer past a limit fails here, not in
 * production: each limit at its value and one past it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInstagramStandIn, type InstagramStandIn, type InstagramTestUser } from '@custom-channels/test-kit/messengers/instagram-standin';
import { startViberStandIn, viberUserId, type ViberStandIn } from '@custom-channels/test-kit/messengers/viber-standin';

describe('Viber stand-in: send_message limits', () => {
  const authToken = 'viber-limits-token';
  let viber: ViberStandIn;
  const receiver = viberUserId();

  before(async () => {
    viber = await startViberStandIn({ authToken });
    viber.textCallback({ id: receiver, name: 'Ann' }, 'hi');
  });
  after(() => viber.close());

  const send = async (message: Record<string, unknown>) => {
    const response = await fetch(`${viber.apiBaseUrl}/send_message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-viber-auth-token': authToken },
      body: JSON.stringify({ receiver, sender: { name: 'Support' }, type: 'text', text: 'Pick', ...message }),
    });
    return ((await response.json()) as { status: number; status_message: string }).status_message;
  };
  const buttons = (count: number, columns: number) =>
    Array.from({ length: count }, (_, i) => ({ Columns: columns, Rows: 1, ActionType: 'reply', ActionBody: `b${i}`, Text: `B${i}` }));
  const keyboard = (list: unknown[]) => ({ keyboard: { Type: 'keyboard', Buttons: list } });

  test('a keyboard holds 24 rows of 6 columns: 24 whole-row buttons or 48 half-row ones, not one more', async () => {
    assert.equal(await send(keyboard(buttons(24, 6))), 'ok');
    assert.equal(await send(keyboard(buttons(25, 6))), 'a keyboard holds at most 24 rows');
    assert.equal(await send(keyboard(buttons(48, 3))), 'ok');
    assert.equal(await send(keyboard(buttons(49, 3))), 'a keyboard holds at most 24 rows');
    const tall = buttons(12, 6).map((button) => ({ ...button, Rows: 2 }));
    assert.equal(await send(keyboard(tall)), 'ok');
    assert.equal(await send(keyboard([...tall, ...buttons(1, 6)])), 'a keyboard holds at most 24 rows');
  });

  test('tracking_data holds 4,000 characters', async () => {
    assert.equal(await send({ tracking_data: 't'.repeat(4000) }), 'ok');
    assert.equal(await send({ tracking_data: 't'.repeat(4001) }), 'tracking_data is too long');
  });

  test('a request holds 30 KB', async () => {
    const text = '€'.repeat(7000);
    assert.equal(await send({ text, tracking_data: 'x'.repeat(4000) }), 'ok');
    assert.equal(await send({ text, tracking_data: '€'.repeat(4000) }), 'the request is over 30 KB');
  });
});

describe('Instagram stand-in: Send API limits', () => {
  const credentials = { appSecret: 'instagram-limits-secret', accessToken: 'instagram-limits-token' };
  let instagram: InstagramStandIn;
  let user: InstagramTestUser;

  before(async () => {
    instagram = await startInstagramStandIn(credentials);
    user = instagram.newUser('Ann');
    // The customer writes first: the 24-hour window opens.
    instagram.textEvent(user, 'hi');
  });
  after(() => instagram.close());

  const send = async (message: Record<string, unknown>) => {
    const response = await fetch(`${instagram.url}/v21.0/me/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${credentials.accessToken}` },
      body: JSON.stringify({ recipient: { id: user.id }, messaging_type: 'RESPONSE', message }),
    });
    return response.status;
  };

  test('a text holds 1,000 bytes of UTF-8, not 1,000 characters', async () => {
    assert.equal(await send({ text: 'é'.repeat(500) }), 200);
    assert.equal(await send({ text: `${'é'.repeat(500)}a` }), 400);
  });

  test('a quick reply title past 20 characters is taken and shown cut to 20, as Instagram documents', async () => {
    const title = 'T'.repeat(21);
    assert.equal(await send({ text: 'Pick', quick_replies: [{ content_type: 'text', title, payload: 'p' }] }), 200);
    assert.deepEqual(instagram.sent.at(-1)?.quickReplies, [{ title: 'T'.repeat(20), payload: 'p' }]);
  });
});
