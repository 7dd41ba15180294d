/**
 * Nothing secret or personal leaves the process: real middleware processes (SQLite and
 * Redis, LOG_LEVEL=debug) are driven through a failure of every Twilio step, Redis going
 * away and coming back, a failing delivery URL, forged and malformed requests, dead letters
 * listed and retried, a Viber and an Instagram customer through their platforms' faults, and setup with wrong
 * credentials; then everything they wrote is
 * searched for every secret and personal value used.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { Redis } from 'ioredis';
import twilio from 'twilio';
import { encodeForm } from '@custom-channels/twilio-sandbox/form';
import { signInboundRequest } from '../../src/security/hub-signature.js';
import { eventually } from '@custom-channels/test-kit/poll';
import { startLeakRig, type LeakRig, type LeakRunOptions } from './leak-rig.js';
import { CapturedOutput, randomHex, SensitiveValues } from './sensitive-output.js';
import { isStep, STANDIN_FAULTS, TWILIO_STEPS } from './twilio-steps.js';

const values = new SensitiveValues();
const output = new CapturedOutput();
let customers = 0;

const RUNS: LeakRunOptions[] = [
  { name: 'interactions, SQLite, API key', routing: 'interactions', store: 'sqlite', credentials: 'api-key' },
  { name: 'interactions, Redis, auth token', routing: 'interactions', store: 'redis', credentials: 'auth-token' },
  { name: 'studio, SQLite, auth token', routing: 'studio', store: 'sqlite', credentials: 'auth-token' },
];

describe('nothing secret or personal leaves the middleware', { timeout: 240_000 }, () => {
  for (const options of RUNS) {
    test(options.name, async (t) => {
      const rig = await startLeakRig(options, values, output);
      let faults: number;
      let exitCode: number | null;
      try {
        faults = await failEveryTwilioStep(rig);
        await rig.drained('to-flex');
        if (rig.redis) await redisGoesAwayAndComesBack(rig);
        await forgedAndMalformedRequests(rig);
        await deliveryUrlFails(rig);
        await deadLettersListedAndRetried(rig);
        await viberThroughFaults(rig);
        await instagramThroughFaults(rig);
        await setupWithWrongCredentials(rig);
      } finally {
        exitCode = await rig.stop();
      }
      assert.equal(exitCode, 0, 'the middleware stopped cleanly');
      const logged = warningsLogged(`${options.name}: middleware stdout`);
      t.diagnostic(`${faults} Twilio faults injected; ${logged} warnings and errors logged`);
      assert.ok(logged >= faults, 'each failure was logged, so the search below covers the failure paths');
    });
  }

  test('no secret and no personal value in anything they wrote', (t: TestContext) => {
    const outputs = output.all();
    const { hits, lines, forms } = values.search(outputs);
    t.diagnostic(
      `searched ${lines.toLocaleString('en-US')} lines from ${outputs.length} outputs for ${values.count} secrets and personal values (${forms} forms): ${hits.length} hits`,
    );
    const found = new Map<string, number>();
    for (const hit of hits) {
      const where = `${hit.label} in ${hit.source}${hit.msg ? ` ("${hit.msg}")` : ''}`;
      found.set(where, (found.get(where) ?? 0) + 1);
    }
    for (const [where, count] of found) t.diagnostic(`  ${count} line(s): ${where}`);
    if (hits.length > 0) t.diagnostic(`every output is kept in ${output.save()}`);
    assert.ok(
      outputs.some((each) => each.source.includes('npm run setup')),
      'the output of setup was captured',
    );
    assert.ok(
      outputs.some((each) => each.source.includes('npm run dead-letters')),
      'the output of the dead-letters CLI was captured',
    );
    assert.deepEqual([...found.keys()], [], 'secrets or personal values found (labels only)');
  });
});

/** Log lines at level warn or above in one output. */
function warningsLogged(source: string): number {
  const text = output.all().find((each) => each.source === source)?.text ?? '';
  return text.split('\n').filter((line) => /^\{.*"level":(40|50|60)[,}]/.test(line)).length;
}

function newCustomer() {
  customers += 1;
  return values.customer(`customer ${customers}`);
}

function messageBody(customer: { id: string; name: string; text: string }): string {
  return JSON.stringify({
    id: `m-${customer.id}`,
    from: { id: customer.id, name: customer.name },
    text: customer.text,
    attributes: { note: customer.text },
  });
}

async function sendAccepted(rig: LeakRig, body: string): Promise<void> {
  const status = await rig.send(body);
  assert.ok(status === 202 || status === 200, `the middleware answered ${status} to a valid message`);
}

/** Failures so far the middleware counted: sessions it could not open, messages it will retry. */
async function twilioFailuresSeen(rig: LeakRig): Promise<number> {
  return (await rig.metric('cc_sessions_opened_total', { outcome: 'failed' })) + (await rig.metric('cc_messages_to_flex_total', { outcome: 'retry' }));
}

/**
 * Each step of a customer's first message fails once in each way (a fresh customer each
 * time): the stand-in answers 500 or 429, resets the connection, or answers after the
 * middleware's timeout; or the connection is refused. The fault is armed right after the
 * previous step's answer, so it falls on this step (the Studio webhook shares its path with
 * the scoped webhook before it). Retries run meanwhile; every message gets through in the end.
 */
async function failEveryTwilioStep(rig: LeakRig): Promise<number> {
  const steps = TWILIO_STEPS[rig.options.routing];
  let injected = 0;
  for (const [index, step] of steps.entries()) {
    const afterPreviousStep = (arm: () => void) => {
      const previous = steps[index - 1];
      if (previous) rig.twilioProxy.afterAnswer((request) => isStep(previous, request), arm);
      else arm();
    };
    for (const fault of STANDIN_FAULTS) {
      const before = rig.sandbox.faultStats()[fault.counter];
      afterPreviousStep(() => rig.sandbox.setFaults({ http: [{ match: step.match, ...fault.rule }] }));
      try {
        await sendAccepted(rig, messageBody(newCustomer()));
        await eventually(() => rig.sandbox.faultStats()[fault.counter] > before, `${fault.kind} on ${step.name}`);
      } finally {
        rig.sandbox.setFaults({});
        await rig.twilioProxy.accept();
      }
      injected += 1;
    }
    const failures = await twilioFailuresSeen(rig);
    afterPreviousStep(() => rig.twilioProxy.refuse());
    try {
      await sendAccepted(rig, messageBody(newCustomer()));
      await eventually(async () => (await twilioFailuresSeen(rig)) > failures, `refused connection on ${step.name}`);
    } finally {
      await rig.twilioProxy.accept();
    }
    injected += 1;
  }
  return injected;
}

/**
 * Redis stops while a customer writes and the workers poll, then comes back on the same
 * port; then it is full (maxmemory reached: it refuses writes with an error naming the
 * command, whose arguments hold keys and payloads) until room is made.
 */
async function redisGoesAwayAndComesBack(rig: LeakRig): Promise<void> {
  await rig.redis!.stop();
  const customer = newCustomer();
  const during = await rig.send(messageBody(customer));
  assert.ok(during >= 500, `a message while Redis is away is not acknowledged (got ${during})`);
  assert.equal((await fetch(`${rig.middleware.url}/readyz`)).status, 503);
  await rig.redis!.restart();
  await eventually(async () => (await fetch(`${rig.middleware.url}/readyz`)).ok, 'ready again once Redis is back', 20_000);
  await sendAccepted(rig, messageBody(customer));
  await rig.drained('to-flex');

  const redis = new Redis(rig.redis!.url);
  try {
    const next = newCustomer();
    await redis.config('SET', 'maxmemory', '1');
    const full = await rig.send(messageBody(next));
    assert.ok(full >= 500, `a message while Redis is full is not acknowledged (got ${full})`);
    await redis.config('SET', 'maxmemory', '0');
    await sendAccepted(rig, messageBody(next));
  } finally {
    await redis.quit();
  }
  await rig.drained('to-flex');
}

/** Requests that must be refused without their content showing up anywhere. */
async function forgedAndMalformedRequests(rig: LeakRig): Promise<void> {
  const customer = newCustomer();
  const valid = messageBody(customer);
  const cases: Array<[string, Promise<number>, number]> = [
    ['bad JSON', rig.send(valid.slice(0, -2)), 400],
    ['wrong fields', rig.send(JSON.stringify({ id: 7, from: { id: customer.id, name: 42, nickname: customer.name }, text: [customer.text] })), 400],
    ['wrong signature', rig.send(valid, { signature: `sha256=${'0'.repeat(64)}` }), 401],
    ['signed with another secret', rig.send(valid, { headers: signInboundRequest(`not-${rig.channelSecret}`, valid) }), 401],
    ['no signature', rig.send(valid, { signature: null }), 401],
    ['not JSON', rig.send(valid, { contentType: 'text/plain' }), 415],
    [
      'too large',
      rig.send(
        JSON.stringify({
          id: customer.id,
          from: { id: customer.id, name: customer.name },
          text: customer.text.repeat(3000),
        }),
      ),
      413,
    ],
  ];
  for (const [what, answer, expected] of cases) {
    const status = await answer;
    assert.equal(status, expected, `${what}: ${status}, expected ${expected}`);
  }

  const url = `${rig.env.PUBLIC_BASE_URL}/twilio/conversations`;
  const params: Record<string, string> = {
    EventType: 'onMessageAdded',
    ConversationSid: `CH${'a'.repeat(32)}`,
    MessageSid: `IM${'b'.repeat(32)}`,
    Body: customer.text,
    Author: customer.id,
    Source: 'SDK',
    Attributes: JSON.stringify({ name: customer.name }),
  };
  const webhook = (signature: string | undefined, body: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(signature ? { 'x-twilio-signature': signature } : {}),
        'i-twilio-idempotency-token': randomHex(),
      },
      body: encodeForm(body),
    }).then(async (response) => (await response.arrayBuffer(), response.status));
  assert.equal(await webhook(twilio.getExpectedTwilioSignature(`wrong-${rig.authToken}`, url, params), params), 403, 'a webhook signed with another token');
  assert.equal(await webhook(undefined, params), 403, 'an unsigned webhook');
  const { MessageSid: _messageSid, ...malformed } = params;
  assert.equal(await webhook(twilio.getExpectedTwilioSignature(rig.authToken, url, malformed), malformed), 400, 'a signed webhook without its MessageSid');
}

/** Agents reply; the channel answers 500 once, refuses connections once, and answers 400 twice (two dead letters). */
async function deliveryUrlFails(rig: LeakRig): Promise<void> {
  const tasks = await eventually(async () => {
    const pending = (await rig.control.tasks()).filter((task) => task.status === 'pending');
    return pending.length >= 2 && pending.slice(0, 2);
  }, 'two tasks to accept');
  for (const task of tasks) await rig.control.accept(task.sid);
  const [first, second] = [tasks[0]!, tasks[1]!];
  const retried = () => rig.metric('cc_deliveries_total', { outcome: 'retry' });

  const beforeRetries = await retried();
  rig.receiver.failNext(1, 500);
  await rig.control.reply(first.sid, values.text('agent reply (channel 500)'));
  await eventually(async () => (await retried()) > beforeRetries, 'a delivery answered 500');

  const beforeRefusal = await retried();
  rig.channelProxy.refuse();
  try {
    await rig.control.reply(first.sid, values.text('agent reply (channel refused)'));
    await eventually(async () => (await retried()) > beforeRefusal, 'a delivery refused');
  } finally {
    await rig.channelProxy.accept();
  }
  await rig.drained('to-channel');

  rig.receiver.failNext(2, 400);
  await rig.control.reply(second.sid, values.text('agent reply (dead letter 1)'));
  await rig.control.reply(second.sid, values.text('agent reply (dead letter 2)'));
  await rig.drained('to-channel', 2);
}

/** Both dead letters listed and retried: one through `npm run dead-letters`, one through the admin endpoint. */
async function deadLettersListedAndRetried(rig: LeakRig): Promise<void> {
  const admin = (path: string, method = 'GET', token = rig.adminToken) =>
    fetch(`${rig.middleware.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  assert.equal((await admin('/admin/dead-letters', 'GET', `not-${rig.adminToken}`)).status, 401);
  const { deadLetters } = (await (await admin('/admin/dead-letters')).json()) as { deadLetters: Array<{ id: number }> };
  assert.equal(deadLetters.length, 2);

  const cliEnv = { DATABASE_URL: rig.env.DATABASE_URL!, ENV_FILE: rig.env.ENV_FILE!, LOG_HASH_KEY: rig.env.LOG_HASH_KEY! };
  assert.equal((await rig.npm('dead-letters', ['list'], cliEnv)).code, 0);
  const listed = await rig.npm('dead-letters', ['list', '--json'], cliEnv);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, new RegExp(`"id": ${deadLetters[0]!.id}`));
  assert.equal((await rig.npm('dead-letters', ['retry', String(deadLetters[0]!.id)], cliEnv)).code, 0);
  assert.equal((await admin(`/admin/dead-letters/${deadLetters[1]!.id}/retry`, 'POST')).status, 202);
  await rig.drained('to-channel');
}

/**
 * A Viber customer writes and sends a picture; forged callbacks are refused; the agent's reply
 * meets Viber's rate limit and a 503; the customer unsubscribes, which the agent is told, and
 * the next reply is a dead letter.
 */
async function viberThroughFaults(rig: LeakRig): Promise<void> {
  const url = `${rig.middleware.url}/channels/viber/viber-bot`;
  const customer = newCustomer();
  const user = { id: values.add('Viber user id', `${randomHex(8)}==`, undefined), name: customer.name };
  const accepted = async (raw: string) => assert.equal((await rig.viber.deliver(raw, { url })).status, 200);
  await accepted(rig.viber.textCallback(user, customer.text));
  await accepted(rig.viber.pictureCallback(user, Buffer.from(randomHex(2000)), values.text('Viber picture caption')));
  assert.equal((await rig.viber.deliver(rig.viber.textCallback(user, customer.text), { url, signature: null })).status, 401);
  assert.equal((await rig.viber.deliver(rig.viber.textCallback(user, customer.text), { url, signature: '0'.repeat(64) })).status, 401);
  await rig.drained('to-flex');

  const task = await eventually(
    async () => (await rig.control.tasks()).find((entry) => entry.status === 'pending' && entry.attributes.channelType === 'viber-bot'),
    'the Viber task',
  );
  await rig.control.accept(task.sid);
  rig.viber.throttle(1);
  rig.viber.failWithServerErrors(1);
  await rig.control.reply(task.sid, values.text('agent reply (Viber faults)'));
  await eventually(() => rig.viber.sent.some((message) => message.receiver === user.id), 'the reply at Viber after the faults');
  await accepted(rig.viber.unsubscribedCallback(user));
  await rig.control.reply(task.sid, values.text('agent reply (Viber unsubscribed)'));
  await rig.drained('to-channel', 1);
}

/**
 * An Instagram customer writes and sends a picture; forged deliveries are refused; the agent's
 * reply meets Meta's rate limit and a 503; a day later the messaging window has closed, so the
 * next reply is a dead letter and the agent is told.
 */
async function instagramThroughFaults(rig: LeakRig): Promise<void> {
  const url = `${rig.middleware.url}/channels/instagram/instagram`;
  const customer = newCustomer();
  const user = rig.instagram.newUser(customer.name);
  values.add('Instagram user id', user.id);
  values.add('Instagram username', user.username);
  const accepted = async (delivery: unknown) => assert.equal((await rig.instagram.deliver(delivery, { url })).status, 200);
  await accepted(rig.instagram.callback(rig.instagram.textEvent(user, customer.text)));
  await accepted(rig.instagram.callback(rig.instagram.imageEvent(user, Buffer.from(randomHex(2000)))));
  const forged = rig.instagram.callback(rig.instagram.textEvent(user, customer.text));
  assert.equal((await rig.instagram.deliver(forged, { url, signature: null })).status, 401);
  assert.equal((await rig.instagram.deliver(forged, { url, signature: `sha256=${'0'.repeat(64)}` })).status, 401);
  await rig.drained('to-flex');

  const task = await eventually(
    async () => (await rig.control.tasks()).find((entry) => entry.status === 'pending' && entry.attributes.channelType === 'instagram'),
    'the Instagram task',
  );
  await rig.control.accept(task.sid);
  rig.instagram.failNext({ status: 400, code: 613 }, { status: 503, code: 2 });
  await rig.control.reply(task.sid, values.text('agent reply (Instagram faults)'));
  await eventually(() => rig.instagram.sent.some((message) => message.to === user.id && message.text), 'the reply at Instagram after the faults');
  rig.instagram.advanceClock(25 * 60 * 60 * 1000);
  await rig.control.reply(task.sid, values.text('agent reply (Instagram window closed)'));
  await rig.drained('to-channel', 2);
}

/** `npm run setup -- conversations` with a wrong auth token (or API key secret) fails, saying so. */
async function setupWithWrongCredentials(rig: LeakRig): Promise<void> {
  const wrong = values.add('wrong secret given to setup', `wrong-${randomHex(16)}`);
  const credentials: Record<string, string> =
    rig.options.credentials === 'api-key' ? { TWILIO_API_KEY_SID: rig.env.TWILIO_API_KEY_SID!, TWILIO_API_KEY_SECRET: wrong } : { TWILIO_AUTH_TOKEN: wrong };
  const identity = rig.options.credentials === 'api-key' ? rig.env.TWILIO_API_KEY_SID! : rig.sandbox.accountSid;
  values.add('base64 of the wrong credential pair given to setup', Buffer.from(`${identity}:${wrong}`).toString('base64'));
  const setup = await rig.npm('setup', ['conversations', '--env-path', `${rig.dir}/setup.env`], {
    TWILIO_ACCOUNT_SID: rig.sandbox.accountSid,
    TWILIO_API_BASE_URL: rig.sandbox.url,
    ...credentials,
  });
  assert.notEqual(setup.code, 0, 'setup refuses wrong credentials');
  assert.match(setup.stderr, /rejected the credentials/);
}
