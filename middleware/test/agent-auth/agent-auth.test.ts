/**
 * Agent authentication against the stand-in's IAM: a Flex token Twilio accepts for this account
 * proves the worker; forged, expired and other-account tokens are 401; an IAM outage is a 503
 * (never a 401 that would send agents to log in again); CORS answers only the Flex origins.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { startSandbox, type Sandbox } from '@custom-channels/twilio-sandbox';
import { installErrorHandlers } from '../../src/http/errors.js';
import { agentIdentityRoutes, type AgentAuth } from '../../src/agent-auth/index.js';
import { createFlexTokenValidator, type FlexTokenValidatorOptions } from '../../src/flex/flex-token-validator.js';

const FLEX_ORIGIN = 'https://flex.twilio.com';
const OTHER_ACCOUNT = 'AC0000000000000000000000000000ffff';

let sandbox: Sandbox;

before(async () => {
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
after(() => sandbox.close());

async function issueToken(body: Record<string, unknown>): Promise<{ token: string; worker_sid: string }> {
  const response = await fetch(`${sandbox.url}/sandbox/flex-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as { token: string; worker_sid: string };
}

function validatorOptions(overrides: Partial<FlexTokenValidatorOptions> = {}): FlexTokenValidatorOptions {
  return {
    accountSid: sandbox.accountSid,
    authToken: sandbox.authToken,
    iamBaseUrl: `${sandbox.url}/iam`,
    timeoutMs: 5000,
    cacheSeconds: 0,
    ...overrides,
  };
}

async function appWith(options: Partial<FlexTokenValidatorOptions> = {}): Promise<FastifyInstance> {
  const auth: AgentAuth = { validator: createFlexTokenValidator(validatorOptions(options)), allowedOrigins: [FLEX_ORIGIN], logger: pino({ level: 'silent' }) };
  const app = Fastify();
  installErrorHandlers(app);
  await app.register(agentIdentityRoutes, { prefix: '/agent/me', auth });
  return app;
}

const whoAmI = (app: FastifyInstance, headers: Record<string, string>) => app.inject({ method: 'GET', url: '/agent/me', headers });

describe('Flex token validation', () => {
  test("a token Flex gave an agent of this account names that agent's worker", async () => {
    const { token, worker_sid } = await issueToken({ worker: 'alice' });
    const response = await whoAmI(await appWith(), { authorization: `Bearer ${token}` });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().workerSid, worker_sid);
    assert.deepEqual(response.json().roles, ['agent']);
  });

  test('forged, expired and other-account tokens are refused with 401 and a reason', async () => {
    const app = await appWith();
    const { token: genuine } = await issueToken({ worker: 'alice' });
    const forged = `${genuine.slice(0, -4)}AAAA`;
    const { token: expired } = await issueToken({ worker: 'alice', ttlSeconds: 0 });
    const { token: otherAccount } = await issueToken({ worker: 'alice', accountSid: OTHER_ACCOUNT });
    for (const token of [forged, expired, otherAccount, 'not a token']) {
      const response = await whoAmI(app, { authorization: `Bearer ${token}` });
      assert.equal(response.statusCode, 401, token);
      assert.equal(response.json().error.code, 'agent_token_invalid');
      assert.match(String(response.headers['www-authenticate']), /^Bearer/);
    }
    const missing = await whoAmI(app, {});
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().error.code, 'agent_token_required');
  });

  test('a token IAM still calls valid is refused once its expiration has passed on our clock', async () => {
    const { token } = await issueToken({ worker: 'bob', ttlSeconds: 60 });
    const validator = createFlexTokenValidator(validatorOptions({ now: () => Date.now() + 61_000 }));
    assert.deepEqual(await validator.validate(token), { ok: false, refusal: 'expired' });
  });

  test('an IAM outage or IAM refusing our credentials is a 503, not a 401', async () => {
    const { token } = await issueToken({ worker: 'alice' });
    const wrongCredentials = await whoAmI(await appWith({ authToken: 'not-the-auth-token-000000' }), { authorization: `Bearer ${token}` });
    assert.equal(wrongCredentials.statusCode, 503);
    assert.equal(wrongCredentials.json().error.code, 'agent_auth_unavailable');
    sandbox.setFaults({ http: [{ match: { product: 'iam' }, script: [503] }] });
    try {
      const outage = await whoAmI(await appWith(), { authorization: `Bearer ${token}` });
      assert.equal(outage.statusCode, 503);
      assert.equal(outage.headers['retry-after'], '5');
    } finally {
      sandbox.setFaults({});
    }
  });

  test('a valid answer is reused for the cache period, never past the token expiry', async () => {
    const { token } = await issueToken({ worker: 'carol', ttlSeconds: 30 });
    let calls = 0;
    let clock = Date.now();
    const counted: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const validator = createFlexTokenValidator(validatorOptions({ cacheSeconds: 60, fetch: counted, now: () => clock }));
    assert.equal((await validator.validate(token)).ok, true);
    clock += 20_000;
    assert.equal((await validator.validate(token)).ok, true);
    assert.equal(calls, 1);
    clock += 15_000;
    assert.deepEqual(await validator.validate(token), { ok: false, refusal: 'expired' });
    assert.equal(calls, 2);
  });
});

describe('CORS on agent routes', () => {
  test('preflight from a Flex origin is answered; any other origin gets 403 before the token is looked at', async () => {
    const app = await appWith();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/agent/me',
      headers: { origin: FLEX_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], FLEX_ORIGIN);
    assert.match(String(preflight.headers['access-control-allow-headers']), /authorization/);
    const foreignPreflight = await app.inject({ method: 'OPTIONS', url: '/agent/me', headers: { origin: 'https://evil.example' } });
    assert.equal(foreignPreflight.statusCode, 403);
    assert.equal(foreignPreflight.headers['access-control-allow-origin'], undefined);

    const { token } = await issueToken({ worker: 'alice' });
    const fromFlex = await whoAmI(app, { origin: FLEX_ORIGIN, authorization: `Bearer ${token}` });
    assert.equal(fromFlex.statusCode, 200);
    assert.equal(fromFlex.headers['access-control-allow-origin'], FLEX_ORIGIN);
    const fromElsewhere = await whoAmI(app, { origin: 'https://evil.example', authorization: `Bearer ${token}` });
    assert.equal(fromElsewhere.statusCode, 403);
    assert.equal(fromElsewhere.json().error.code, 'origin_not_allowed');
  });
});
