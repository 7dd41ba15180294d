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

test("Twilio's Retry-After reaches the outbox: a 429 error carries retryAfterMs, classified throttled", async () => {
  const { startSandbox } = await import('@custom-channels/twilio-sandbox');
  const { failureOf } = await import('../src/flex/twilio-errors.js');
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
    assert.deepEqual(failureOf(error), { kind: 'throttled', reason: 'Twilio answered 429 (error 20429): Too Many Requests', retryAfterMs: 3000 });
    // Reads are not faulted here and still work through the same client.
    assert.ok(Array.isArray(await client.conversations.v1.conversations.list({ limit: 1 })));
  } finally {
    await sandbox.close();
  }
});

test('a throttled request is sent again in place, honouring Retry-After, until the policy gives up', async () => {
  const { startSandbox } = await import('@custom-channels/twilio-sandbox');
  delete process.env.TWILIO_REGION;
  const sandbox = await startSandbox({
    seed: 7,
    faults: {
      http: [{ match: { product: 'conversations', method: 'POST' }, script: [429, 'none', 429, 429, 'none', 429, 429, 429, 'none'], retryAfterSeconds: 0 }],
    },
  });
  try {
    const throttle = { maxRetries: 20, baseDelayMs: 1, maxDelayMs: 10 };
    const client = createTwilioClient({ accountSid: sandbox.accountSid, authToken: sandbox.authToken, apiBaseUrl: sandbox.url, throttle });
    for (let n = 0; n < 10; n += 1) await client.conversations.v1.conversations.create({ uniqueName: `throttled-${n}` });
    assert.equal(sandbox.faultStats().http429, 6, 'three creations were throttled first, one of them three times');
    assert.equal((await client.conversations.v1.conversations.list({ limit: 50 })).length, 10, 'each created once');

    sandbox.setFaults({ http: [{ match: { product: 'conversations', method: 'POST' }, rate429: 1, retryAfterSeconds: 0 }] });
    const before = sandbox.faultStats().http429;
    const giveUp = createTwilioClient({
      accountSid: sandbox.accountSid,
      authToken: sandbox.authToken,
      apiBaseUrl: sandbox.url,
      throttle: { ...throttle, maxRetries: 2 },
    });
    await assert.rejects(giveUp.conversations.v1.conversations.create({ friendlyName: 'x' }), { status: 429 });
    assert.equal(sandbox.faultStats().http429 - before, 3, 'the first request and two more');
  } finally {
    await sandbox.close();
  }
});

test('throttle waits: Retry-After wins when longer, a Retry-After past the cap is left to the outbox', async () => {
  const { throttleDelayMs } = await import('../src/twilio/throttling.js');
  const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 2_000 };
  assert.equal(
    throttleDelayMs(policy, 0, undefined, () => 1),
    100,
  );
  assert.equal(
    throttleDelayMs(policy, 2, undefined, () => 0),
    200,
  );
  assert.equal(
    throttleDelayMs(policy, 0, 1_000, () => 1),
    1_000,
  );
  assert.equal(throttleDelayMs(policy, 0, 3_000), undefined);
  assert.equal(throttleDelayMs(policy, 3, 0), undefined);
});
