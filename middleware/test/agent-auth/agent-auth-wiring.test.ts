/** The running middleware checks Flex tokens with the IAM of TWILIO_API_BASE_URL (the stand-in here) and answers only FLEX_ALLOWED_ORIGINS. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness } from '@custom-channels/test-kit/harness';

const FLEX_ORIGIN = 'http://127.0.0.1:3100';

describeWithHarness('agent routes in the running middleware', { routing: 'interactions', env: { FLEX_ALLOWED_ORIGINS: FLEX_ORIGIN } }, (harness) => {
  test("GET /agent/me names the worker of the agent's Flex token, from the Flex origin only", async () => {
    const issued = await fetch(`${harness.sandbox.url}/sandbox/flex-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ worker: 'alice' }),
    });
    const { token, worker_sid } = (await issued.json()) as { token: string; worker_sid: string };
    const me = await fetch(`${harness.middleware.url}/agent/me`, { headers: { authorization: `Bearer ${token}`, origin: FLEX_ORIGIN } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { workerSid: string }).workerSid, worker_sid);
    assert.equal(me.headers.get('access-control-allow-origin'), FLEX_ORIGIN);
    const hosted = await fetch(`${harness.middleware.url}/agent/me`, { headers: { authorization: `Bearer ${token}`, origin: 'https://flex.twilio.com' } });
    assert.equal(hosted.status, 403);
    const forged = await fetch(`${harness.middleware.url}/agent/me`, { headers: { authorization: `Bearer ${token.slice(0, -2)}xx` } });
    assert.equal(forged.status, 401);
  });
});
