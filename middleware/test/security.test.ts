import { test } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';
import { signBody, verifyBodySignature } from '../src/security/hub-signature.js';
import { createTwilioRequestVerifier } from '../src/security/twilio-signature.js';
import { createCustomerIdentityFactory } from '../src/security/customer-identity.js';
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
