/** X-Line-Signature: only the canonical base64 of exactly the expected HMAC is taken. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createLineWebhook } from '../../src/messengers/line/line-webhook.js';
import type { ChannelRuntime } from '../../src/config/channels.js';

const SECRET = 'line-channel-secret-0123456789';
const body = Buffer.from('{"destination":"U0","events":[]}');
const signature = createHmac('sha256', SECRET).update(body).digest('base64');
const webhook = createLineWebhook(async () => undefined);
const channel = { secret: SECRET } as ChannelRuntime;
const verify = (value: string) => webhook.verify(channel, { 'x-line-signature': value }, body);

test('the right signature is accepted', () => {
  assert.match(signature, /^[A-Za-z0-9+/]{43}=$/);
  assert.equal(verify(signature), true);
});

test('trailing garbage, missing padding or a non-canonical last character are refused', () => {
  for (const variant of [`${signature}garbage`, `${signature}=`, `${signature}AAAA`, signature.slice(0, -1), ` ${signature}`, `${signature}\n`]) {
    assert.equal(verify(variant), false, JSON.stringify(variant));
  }
  // The last character before "=" carries two unused bits: flipping them decodes to the same bytes.
  const last = signature.at(-2)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const sameBytes = alphabet[alphabet.indexOf(last) ^ 1]!;
  const nonCanonical = `${signature.slice(0, -2)}${sameBytes}=`;
  assert.deepEqual(Buffer.from(nonCanonical, 'base64'), Buffer.from(signature, 'base64'));
  assert.equal(verify(nonCanonical), false);
});

test('another body or secret, or no signature, is refused', () => {
  assert.equal(webhook.verify(channel, { 'x-line-signature': signature }, Buffer.from('{}')), false);
  assert.equal(webhook.verify({ secret: 'another-secret-0123456789' } as ChannelRuntime, { 'x-line-signature': signature }, body), false);
  assert.equal(webhook.verify(channel, {}, body), false);
});
