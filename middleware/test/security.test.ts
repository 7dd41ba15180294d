import { test } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';
import { signBody, signInboundRequest, verifyBodySignature, verifySignedRequest, type SignatureCheckOptions } from '../src/security/hub-signature.js';
import { createTwilioRequestVerifier } from '../src/security/twilio-signature.js';
import { createCustomerIdentityFactory, createCustomerIdentityMatcher } from '../src/security/customer-identity.js';
import { parseConversationsWebhook } from '../src/outbound/twilio-events.js';
import { parseWebhookForm } from '../src/twilio/webhook-form.js';

test('X-Hub-Signature-256 verifies only the exact body with the right secret', () => {
  const body = Buffer.from('{"id":"1"}');
  const header = signBody('secret-secret-secret', body);
  assert.match(header, /^sha256=[0-9a-f]{64}$/);
  assert.equal(verifyBodySignature('secret-secret-secret', body, header), true);
  assert.equal(verifyBodySignature('secret-secret-secret', body, header.toUpperCase().replace('SHA256', 'sha256')), true);
  assert.equal(verifyBodySignature('other-secret-secret', body, header), false);
  assert.equal(verifyBodySignature('secret-secret-secret', Buffer.from('{"id":"2"}'), header), false);
  assert.equal(verifyBodySignature('secret-secret-secret', body, undefined), false);
  assert.equal(verifyBodySignature('secret-secret-secret', body, 'sha256=abc'), false);
});

test('X-Channel-Signature covers the timestamp and the body; a request goes stale after the tolerance, either way', () => {
  const secret = 'secret-secret-secret';
  const rawBody = Buffer.from('{"id":"1"}');
  const signedAt = 1_767_225_600;
  const headers = signInboundRequest(secret, rawBody, signedAt);
  assert.deepEqual(Object.keys(headers).sort(), ['x-channel-signature', 'x-channel-timestamp']);
  assert.equal(headers['x-channel-timestamp'], String(signedAt));
  assert.match(headers['x-channel-signature']!, /^v1=[0-9a-f]{64}$/);
  const check = (overrides: Partial<SignatureCheckOptions> = {}) => {
    const result = verifySignedRequest({ secret, rawBody, headers, nowSeconds: signedAt, toleranceSeconds: 300, acceptLegacy: false, ...overrides });
    return result.ok ? result.scheme : result.code;
  };

  assert.equal(check(), 'v1');
  assert.equal(check({ nowSeconds: signedAt + 300 }), 'v1', 'at the tolerance');
  assert.equal(check({ nowSeconds: signedAt - 300 }), 'v1');
  assert.equal(check({ nowSeconds: signedAt + 301 }), 'stale_timestamp', 'a captured request replayed later');
  assert.equal(check({ nowSeconds: signedAt - 301 }), 'future_timestamp');
  assert.equal(check({ nowSeconds: signedAt + 301, toleranceSeconds: 600 }), 'v1', 'the tolerance is configurable');
  assert.equal(check({ secret: 'other-secret-secret' }), 'invalid_signature');
  assert.equal(check({ rawBody: Buffer.from('{"id":"2"}') }), 'invalid_signature');
  assert.equal(
    check({ secret: 'other-secret-secret', nowSeconds: signedAt + 3600 }),
    'invalid_signature',
    'only a signed request learns its timestamp is stale',
  );
  assert.equal(check({ headers: { ...headers, 'x-channel-timestamp': String(signedAt + 1) } }), 'invalid_signature', 'the timestamp is signed');

  const hex = headers['x-channel-signature']!.slice(3);
  for (const [name, forged] of [
    ['no timestamp', { 'x-channel-signature': headers['x-channel-signature'] }],
    ['no signature', { 'x-channel-timestamp': String(signedAt) }],
    ['upper-case hex', { ...headers, 'x-channel-signature': `v1=${hex.toUpperCase()}` }],
    ['another version', { ...headers, 'x-channel-signature': `v2=${hex}` }],
    ['trailing garbage', { ...headers, 'x-channel-signature': `v1=${hex}00` }],
    ['short', { ...headers, 'x-channel-signature': `v1=${hex.slice(2)}` }],
    ['spaces', { ...headers, 'x-channel-signature': ` v1=${hex}` }],
    ['leading zero', { ...headers, 'x-channel-timestamp': `0${signedAt}` }],
    ['fractional timestamp', { ...headers, 'x-channel-timestamp': `${signedAt}.0` }],
    ['milliseconds', { ...headers, 'x-channel-timestamp': `${signedAt}000` }],
  ] as const) {
    assert.equal(check({ headers: forged }), 'invalid_signature', name);
  }
});

test('the body-only X-Hub-Signature-256 is refused unless the channel opts in, and then checked as before', () => {
  const secret = 'secret-secret-secret';
  const rawBody = Buffer.from('{"id":"1"}');
  const legacy = { 'x-hub-signature-256': signBody(secret, rawBody) };
  const check = (headers: Record<string, string>, acceptLegacy: boolean) => {
    const result = verifySignedRequest({ secret, rawBody, headers, nowSeconds: 1_767_225_600, toleranceSeconds: 300, acceptLegacy });
    return result.ok ? result.scheme : result.code;
  };
  assert.equal(check(legacy, false), 'legacy_signature_refused');
  assert.equal(check(legacy, true), 'legacy');
  assert.equal(check({ 'x-hub-signature-256': signBody('other-secret-secret', rawBody) }, true), 'invalid_signature');
  assert.equal(check({}, true), 'invalid_signature');
  const stale = signInboundRequest(secret, rawBody, 1_767_225_600 - 301);
  assert.equal(check({ ...legacy, ...stale }, true), 'stale_timestamp', 'a timestamped signature, when sent, is the one checked');
});

test('Twilio signatures are checked against the public URL, not the local one', () => {
  const token = 'token-token-token-token';
  const params = { EventType: 'onMessageAdded', Body: 'hi' };
  const verify = createTwilioRequestVerifier(token, 'https://public.example.com/');
  const signature = twilio.getExpectedTwilioSignature(token, 'https://public.example.com/twilio/conversations', params);
  assert.equal(verify('/twilio/conversations', signature, params), true);
  assert.equal(verify('/twilio/conversations', signature, { ...params, Body: 'changed' }), false);
  const localSignature = twilio.getExpectedTwilioSignature(token, 'http://127.0.0.1:3000/twilio/conversations', params);
  assert.equal(verify('/twilio/conversations', localSignature, params), false);
  assert.equal(verify('/twilio/conversations', undefined, params), false);
});

test('a repeated form key keeps every value, and the signature covers them all as Twilio signs them', () => {
  const token = 'token-token-token-token';
  const url = 'https://public.example.com/twilio/conversations';
  const signed = {
    EventType: 'onMessageAdded',
    ConversationSid: 'CH1',
    MessageSid: 'IM1',
    Author: 'agent',
    Tag: ['b', 'a'],
  };
  const signature = twilio.getExpectedTwilioSignature(token, url, signed);
  const body = 'EventType=onMessageAdded&ConversationSid=CH1&MessageSid=IM1&Author=agent&Tag=b&Tag=a';
  const verify = createTwilioRequestVerifier(token, 'https://public.example.com');

  const params = parseWebhookForm(body);
  assert.deepEqual(params, {
    EventType: 'onMessageAdded',
    ConversationSid: 'CH1',
    MessageSid: 'IM1',
    Author: 'agent',
    Tag: ['b', 'a'],
  });
  assert.equal(verify('/twilio/conversations', signature, params), true);
  assert.equal(verify('/twilio/conversations', signature, { ...params, Tag: 'a' }), false, 'the last value alone is not what Twilio signed');
  assert.equal(verify('/twilio/conversations', signature, parseWebhookForm(`${body}&Tag=c`)), false);
  assert.equal(parseConversationsWebhook(params).ok, true, 'a repeated key the event is not read from does not matter');
});

test('an event field given twice is refused, naming it, rather than one value picked', () => {
  const parsed = parseConversationsWebhook(parseWebhookForm('EventType=onMessageAdded&ConversationSid=CH1&MessageSid=IM1&Author=agent&Body=one&Body=two'));
  assert.deepEqual(parsed, { ok: false, field: 'Body', message: 'Body must appear once' });
  assert.deepEqual(parseWebhookForm('__proto__=x&constructor=y'), { ['__proto__']: 'x', constructor: 'y' });
});

test('customer identities are stable, per channel, and do not contain the customer id', () => {
  const identityFor = createCustomerIdentityFactory('k'.repeat(32));
  const identity = identityFor('chatapp', '+15551234567');
  assert.equal(identity, identityFor('chatapp', '+15551234567'));
  assert.notEqual(identity, identityFor('webchat', '+15551234567'));
  assert.notEqual(identity, createCustomerIdentityFactory('j'.repeat(32))('chatapp', '+15551234567'));
  assert.match(identity, /^chatapp_[0-9a-f]{32}$/);
  assert.ok(!identity.includes('5551234567'));
});

test("the customer identity matcher knows the factory's identities for the channels served, and nothing else", () => {
  const identityFor = createCustomerIdentityFactory('k'.repeat(32));
  const isCustomer = createCustomerIdentityMatcher(['chatapp', 'line_official']);
  assert.equal(isCustomer(identityFor('chatapp', 'c1')), true);
  assert.equal(isCustomer(identityFor('line_official', 'U1')), true, 'a channel type with an underscore');
  for (const author of [
    identityFor('webchat', 'c1'),
    'agent@example.com',
    'system',
    'chatapp_',
    `chatapp_${'A'.repeat(32)}`,
    `chatapp_${'a'.repeat(31)}`,
    `_${'a'.repeat(32)}`,
  ]) {
    assert.equal(isCustomer(author), false, author);
  }
});
