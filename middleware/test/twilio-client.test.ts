import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTwilioClient } from '../src/twilio/client.js';

test('points every product the kit uses at one origin, under the product host name', () => {
  process.env.TWILIO_REGION = 'au1';
  try {
    const client = createTwilioClient({
      accountSid: 'AC00000000000000000000000000000000',
      authToken: 'token',
      apiBaseUrl: 'http://127.0.0.1:4010/',
    });
    assert.equal(client.conversations.baseUrl, 'http://127.0.0.1:4010/conversations');
    assert.equal(client.flexApi.baseUrl, 'http://127.0.0.1:4010/flex-api');
    assert.equal(client.chat.baseUrl, 'http://127.0.0.1:4010/chat');
    assert.equal(client.taskrouter.baseUrl, 'http://127.0.0.1:4010/taskrouter');
    assert.equal(client.studio.baseUrl, 'http://127.0.0.1:4010/studio');
    assert.equal(client.region, undefined);
  } finally {
    delete process.env.TWILIO_REGION;
  }
});

test('leaves Twilio hosts alone when no base URL is given', () => {
  const client = createTwilioClient({ accountSid: 'AC00000000000000000000000000000000', authToken: 'token' });
  assert.equal(client.conversations.baseUrl, 'https://conversations.twilio.com');
});
