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

test("Twilio's Retry-After reaches the outbox: a 429 error carries retryAfterMs, classified retryable", async () => {
  const { startSandbox } = await import('@custom-channels/twilio-sandbox');
  const { classifyTwilioError } = await import('../src/flex/twilio-errors.js');
  delete process.env.TWILIO_REGION;
  const sandbox = await startSandbox({
    seed: 7,
    faults: { http: [{ match: { product: 'conversations', method: 'POST' }, rate429: 1, retryAfterSeconds: 3 }] },
  });
  try {
    const client = createTwilioClient({
      accountSid: sandbox.accountSid,
      authToken: sandbox.authToken,
      apiBaseUrl: sandbox.url,
    });
    const error = await client.conversations.v1.conversations.create({ friendlyName: 'x' }).then(
      () => assert.fail('expected a 429'),
      (caught: unknown) => caught,
    );
    assert.deepEqual(
      [(error as { status?: number }).status, (error as { code?: number }).code, (error as { retryAfterMs?: number }).retryAfterMs],
      [429, 20429, 3000],
    );
    const failure = classifyTwilioError(error);
    assert.deepEqual([failure.retryable, failure.retryAfterMs], [true, 3000]);
    // Reads are not faulted here and still work through the same client.
    assert.ok(Array.isArray(await client.conversations.v1.conversations.list({ limit: 1 })));
  } finally {
    await sandbox.close();
  }
});
