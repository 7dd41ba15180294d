/**
 * The stand-in's Flex token validation, as Twilio's twilio-flex-token-validator calls IAM:
 * `POST /v1/Accounts/{AccountSid}/Tokens/validate`, basic auth of the account, JSON `{"token"}`,
 * answered 200 `{valid, code, message, expiration, identity, roles, worker_sid, ...}`.
 * Twilio's OpenAPI specs do not describe this endpoint, so these rows check it against the
 * package's documented use instead of a spec.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSandbox, type Sandbox } from '../src/index.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
after(() => sandbox.close());

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

function validate(token: unknown, options: { accountSid?: string; authorization?: string } = {}) {
  return fetch(`${sandbox.url}/iam/v1/Accounts/${options.accountSid ?? sandbox.accountSid}/Tokens/validate`, {
    method: 'POST',
    headers: { authorization: options.authorization ?? basic(sandbox.accountSid, sandbox.authToken), 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
}

async function issue(body: Record<string, unknown>) {
  const response = await fetch(`${sandbox.url}/sandbox/flex-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as { token: string; worker_sid: string; identity: string; expiration: string };
}

test("an issued token validates with the agent's worker, identity, roles and expiration", async () => {
  const issued = await issue({ worker: 'alice', roles: ['agent', 'supervisor'] });
  assert.equal(issued.token.split('.').length, 5, 'shaped like a JWE compact string');
  const response = await validate(issued.token);
  assert.equal(response.status, 200);
  const body = (await response.json()) as Record<string, unknown>;
  assert.equal(body.valid, true);
  assert.equal(body.code, 0);
  assert.equal(body.worker_sid, issued.worker_sid);
  assert.match(String(body.worker_sid), /^WK[0-9a-f]{32}$/);
  assert.equal(body.identity, 'alice');
  assert.deepEqual(body.roles, ['agent', 'supervisor']);
  assert.equal(body.expiration, issued.expiration);
  assert.match(String(body.flex_user_sid), /^FU[0-9a-f]{32}$/);
  assert.match(String(body.flex_instance_sid), /^GO[0-9a-f]{32}$/);
});

test('unknown, expired and other-account tokens answer 200 with valid: false and a message', async () => {
  const { token: expired } = await issue({ worker: 'bob', ttlSeconds: 0 });
  const { token: foreign } = await issue({ worker: 'bob', accountSid: 'AC0000000000000000000000000000ffff' });
  for (const token of ['eyJhbGciOiJkaXIifQ..AAAA.BBBB.CCCC', expired, foreign, '', 42]) {
    const response = await validate(token);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.valid, false);
    assert.equal(typeof body.message, 'string');
    assert.equal(body.worker_sid, null);
  }
});

test("the account's credentials are required, for that account only", async () => {
  const { token } = await issue({ worker: 'carol' });
  const wrongSecret = await validate(token, { authorization: basic(sandbox.accountSid, 'wrong-secret-0000000000') });
  assert.equal(wrongSecret.status, 401);
  assert.equal(((await wrongSecret.json()) as { code: number }).code, 20003);
  const otherAccount = await validate(token, { accountSid: 'AC0000000000000000000000000000ffff' });
  assert.equal(otherAccount.status, 401);
});

test('a worker that does not exist cannot be issued a token', async () => {
  const response = await fetch(`${sandbox.url}/sandbox/flex-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ worker: 'mallory' }),
  });
  assert.equal(response.status, 400);
});
