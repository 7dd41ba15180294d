import { test } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';
import { encodeForm } from '@custom-channels/twilio-sandbox/form';
import { CHANNEL_SECRET, describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { signBody, signInboundRequest } from '../src/security/hub-signature.js';

const now = () => ({ 'x-channel-timestamp': String(Math.floor(Date.now() / 1000)) });
import { activeConversationSid, conversationMessages, deliveriesOfType } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';

const ADMIN_TOKEN = 'admin-token-for-security-tests-0123456789';

describeWithHarness('security and bad input: clear 4xx answers, nothing reaches Twilio', { routing: 'interactions', env: { ADMIN_TOKEN } }, (harness) => {
  const valid = { id: 'sec-1', from: { id: 'sec-customer', name: 'Flo' }, text: 'hi' };

  test('inbound: unknown channel 404, bad signature 401, malformed 400 naming the field, oversized 413', async () => {
    const requestsBefore = harness.twilioRequests.length;
    const cases: Array<[string, Awaited<ReturnType<Harness['send']>>, number, string, string?]> = [
      ['unknown channel', await harness.send(valid, { channelType: 'nosuchchannel' }), 404, 'unknown_channel'],
      ['channel without HTTP inbound', await harness.send(valid, { channelType: 'webchat' }), 404, 'unknown_channel'],
      ['no signature', await harness.send(valid, { signature: null }), 401, 'invalid_signature'],
      ['wrong signature', await harness.send(valid, { headers: { ...now(), 'x-channel-signature': `v1=${'0'.repeat(64)}` } }), 401, 'invalid_signature'],
      [
        'signature of another body',
        await harness.send({ ...valid, text: 'tampered' }, { headers: signInboundRequest(CHANNEL_SECRET, JSON.stringify(valid)) }),
        401,
        'invalid_signature',
      ],
      ['body-only signature', await harness.send(valid, { signature: signBody(CHANNEL_SECRET, JSON.stringify(valid)) }), 401, 'legacy_signature_refused'],
      ['timestamp too old', await harness.send(valid, { signedAt: Math.floor(Date.now() / 1000) - 301 }), 401, 'stale_timestamp'],
      ['not JSON', await harness.send(undefined, { rawBody: '{"id": ' }), 400, 'invalid_json'],
      ['missing from.id', await harness.send({ ...valid, from: { name: 'x' } }), 400, 'invalid_body', '/from/id'],
      ['text not a string', await harness.send({ ...valid, text: 42 }), 400, 'invalid_body', '/text'],
      ['empty text', await harness.send({ ...valid, text: '' }), 400, 'invalid_body', '/text'],
      ['white-space text', await harness.send({ ...valid, text: ' \n\t ' }), 400, 'invalid_body', '/text'],
      ['missing id', await harness.send({ from: valid.from, text: 'x' }), 400, 'invalid_body', '/id'],
      ['bad timestamp', await harness.send({ ...valid, timestamp: 'yesterday' }), 400, 'invalid_body', '/timestamp'],
      ['array body', await harness.send([valid]), 400, 'invalid_body', '/'],
      ['oversized', await harness.send({ ...valid, text: 'x'.repeat(70 * 1024) }), 413, 'body_too_large'],
      ['wrong media type', await harness.send(undefined, { rawBody: 'id=1', contentType: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type'],
      ['text/plain, signed', await harness.send(valid, { contentType: 'text/plain' }), 415, 'unsupported_media_type'],
      ['text/plain, unsigned', await harness.send(valid, { contentType: 'text/plain', signature: null }), 415, 'unsupported_media_type'],
    ];
    for (const [name, response, status, code, field] of cases) {
      assert.equal(response.status, status, name);
      assert.equal(response.body.error?.code, code, name);
      assert.equal(typeof response.body.error?.message, 'string', name);
      if (field) assert.equal(response.body.error.field, field, name);
    }
    assert.equal(harness.twilioRequests.length, requestsBefore, 'no request reached Twilio');
  });

  test('Twilio webhooks: unsigned or forged 403; signed events are deduplicated by token and by MessageSid', async () => {
    assert.equal((await harness.send(valid)).status, 202);
    const conversationSid = await activeConversationSid(harness, valid.from.id);
    await eventually(async () => (await conversationMessages(harness, conversationSid)).length === 1, 'the customer message posted');
    const requestsBefore = harness.twilioRequests.length;
    const url = `${harness.config.publicBaseUrl}/twilio/conversations`;
    const params = {
      EventType: 'onMessageAdded',
      ConversationSid: conversationSid,
      MessageSid: `IM${'1'.repeat(32)}`,
      Author: 'agent@example.com',
      Body: 'from the agent',
      Source: 'SDK',
    };
    const post = (body: Record<string, string>, headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body).toString(),
      });
    const sign = (body: Record<string, string>, token = harness.sandbox.authToken, at = url) => twilio.getExpectedTwilioSignature(token, at, body);

    const unsigned = await post(params, {});
    assert.equal(unsigned.status, 403);
    assert.equal(((await unsigned.json()) as { error: { code: string } }).error.code, 'invalid_twilio_signature');
    assert.equal((await post(params, { 'x-twilio-signature': sign(params, 'not-the-auth-token-at-all') })).status, 403);
    assert.equal(
      (
        await post(params, {
          'x-twilio-signature': sign(params, undefined, 'http://elsewhere.example.com/twilio/conversations'),
        })
      ).status,
      403,
    );
    assert.equal((await post({ ...params, Body: 'changed' }, { 'x-twilio-signature': sign(params) })).status, 403);
    const missingField = { ...params, MessageSid: '' };
    const invalid = await post(missingField, { 'x-twilio-signature': sign(missingField) });
    assert.equal(invalid.status, 400);
    assert.equal(((await invalid.json()) as { error: { field: string } }).error.field, 'MessageSid');
    assert.equal(deliveriesOfType(harness, 'message').length, 0);

    const token = { 'i-twilio-idempotency-token': 'token-1', 'x-twilio-signature': sign(params) };
    assert.equal((await post(params, token)).status, 200);
    assert.equal((await post(params, token)).status, 200, 'a redelivery is acknowledged');
    assert.equal((await post(params, { ...token, 'i-twilio-idempotency-token': 'token-2' })).status, 200, 'same MessageSid, new token');
    await eventually(() => deliveriesOfType(harness, 'message').length === 1, 'one delivery');
    const echo = {
      ...params,
      MessageSid: `IM${'2'.repeat(32)}`,
      Author: (await harness.middleware.store.findActiveSession('chatapp', valid.from.id))!.identity,
      Source: 'API',
    };
    assert.equal((await post(echo, { 'x-twilio-signature': sign(echo) })).status, 200);
    const other = { ...params, MessageSid: `IM${'3'.repeat(32)}`, Body: 'second agent message' };
    assert.equal((await post(other, { 'x-twilio-signature': sign(other) })).status, 200);
    await eventually(() => deliveriesOfType(harness, 'message').length === 2, 'the second agent message');
    assert.deepEqual(
      deliveriesOfType(harness, 'message').map((delivery) => delivery.body.text),
      ['from the agent', 'second agent message'],
      'the echo was not forwarded',
    );
    assert.equal(harness.twilioRequests.length, requestsBefore, 'webhooks alone never call Twilio');
  });

  test('Twilio webhooks: a repeated key, signed as Twilio signs it, is accepted; an event field given twice is refused', async () => {
    const conversationSid = await activeConversationSid(harness, valid.from.id);
    const url = `${harness.config.publicBaseUrl}/twilio/conversations`;
    const delivered = deliveriesOfType(harness, 'message').length;
    const post = (params: Record<string, string | string[]>) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(harness.sandbox.authToken, url, params),
        },
        body: encodeForm(params),
      });
    const event = {
      EventType: 'onMessageAdded',
      ConversationSid: conversationSid,
      Author: 'agent@example.com',
      Source: 'SDK',
    };

    const repeated = await post({
      ...event,
      MessageSid: `IM${'4'.repeat(32)}`,
      Body: 'with a repeated key',
      Tag: ['second', 'first'],
    });
    assert.equal(repeated.status, 200);
    await eventually(() => deliveriesOfType(harness, 'message').length === delivered + 1, 'the message delivered');
    assert.equal(deliveriesOfType(harness, 'message').at(-1)?.body.text, 'with a repeated key');

    const ambiguous = await post({ ...event, MessageSid: `IM${'5'.repeat(32)}`, Body: ['one', 'two'] });
    assert.equal(ambiguous.status, 400);
    assert.deepEqual(((await ambiguous.json()) as { error: unknown }).error, {
      code: 'invalid_webhook',
      message: 'Body must appear once',
      field: 'Body',
    });
  });

  test('operations endpoints', async () => {
    const health = await fetch(`${harness.middleware.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${harness.middleware.url}/readyz`);
    assert.equal(ready.status, 200);
    const unauthenticated = await fetch(`${harness.middleware.url}/metrics`);
    assert.equal(unauthenticated.status, 401, '/metrics is behind the admin token');
    assert.equal(((await unauthenticated.json()) as { error: { code: string } }).error.code, 'unauthorized');
    const metrics = await (await fetch(`${harness.middleware.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    assert.match(metrics, /cc_inbound_requests_total\{channel="chatapp",outcome="accepted"\} \d+/);
    assert.match(metrics, /cc_inbound_requests_total\{channel="chatapp",outcome="invalid_signature"\} \d+/);
    assert.match(metrics, /cc_twilio_webhooks_total\{kind="conversations",outcome="forbidden"\} \d+/);
    assert.match(metrics, /cc_outbox_entries\{queue="to-flex",state="pending"\} \d+/);
    assert.match(metrics, /process_cpu_user_seconds_total/);
  });
});
