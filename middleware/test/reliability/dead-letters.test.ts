/**
 * The dead-letter admin: the authenticated endpoint and the CLI, on a store holding one
 * permanently failed message to Flex and one failed delivery to the channel.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { tokenMatches } from '../../src/http/admin-routes.js';
import { runDeadLettersCli } from '../../src/reliability/dead-letters-cli.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createTwilioClient } from '../../src/twilio/client.js';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';

const sid = (prefix: string) => `${prefix}${'0'.repeat(32)}`;
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
const CUSTOMER_ID = '+15550001111';
const SECRET_TEXT = 'my card number is 4111';
const env = {
  TWILIO_ACCOUNT_SID: sid('AC'),
  TWILIO_AUTH_TOKEN: 'a'.repeat(32),
  PUBLIC_BASE_URL: 'https://middleware.example.com',
  TWILIO_WORKSPACE_SID: sid('WS'),
  TWILIO_WORKFLOW_SID: sid('WW'),
  CHANNELS_FILE: writeChannelsFile(),
  CHANNEL_CHATAPP_SECRET: 's'.repeat(32),
  CHANNEL_CHATAPP_DELIVERY_URL: 'http://127.0.0.1:9/deliveries',
  LOG_HASH_KEY: 'k'.repeat(32),
};

/** Queues two entries and parks them as Twilio's and the channel's permanent refusals would. */
async function seedDeadLetters(store: Store): Promise<{ toFlex: number; toChannel: number }> {
  await store.enqueue({
    queue: 'to-flex',
    orderingKey: JSON.stringify(['chatapp', CUSTOMER_ID]),
    payload: {
      channelType: 'chatapp',
      customer: { id: CUSTOMER_ID, name: 'Ann' },
      message: { externalId: 'm-1', text: SECRET_TEXT },
    },
  });
  await store.enqueue({
    queue: 'to-channel',
    orderingKey: 'session-1',
    payload: {
      channelType: 'chatapp',
      event: {
        type: 'message',
        id: 'IM1',
        conversationSid: 'CH1',
        to: { id: CUSTOMER_ID },
        author: 'agent',
        text: SECRET_TEXT,
      },
    },
  });
  const [toFlex] = await store.claimDue('to-flex', Date.now(), 1, 10_000);
  await store.markFailed(toFlex!.id, 'Twilio answered 400 (error 20001): Invalid Attributes');
  const [toChannel] = await store.claimDue('to-channel', Date.now(), 1, 10_000);
  await store.markFailed(toChannel!.id, 'delivery URL answered 410');
  return { toFlex: toFlex!.id, toChannel: toChannel!.id };
}

function appWith(store: Store, extraEnv: Record<string, string>): App {
  const config = loadConfig({ ...env, ...extraEnv });
  const twilioClient = createTwilioClient({
    accountSid: config.twilio.accountSid,
    authToken: config.twilio.authToken,
    apiBaseUrl: 'http://127.0.0.1:9',
  });
  // Workers are not started: retried entries stay pending where the test can see them.
  return createApp({ config, store, twilioClient, logger: pino({ level: 'silent' }) });
}

describe('admin endpoint', () => {
  let store: Store;
  let app: App;
  let ids: { toFlex: number; toChannel: number };
  before(async () => {
    store = openSqliteStore({ path: ':memory:' });
    ids = await seedDeadLetters(store);
    app = appWith(store, { ADMIN_TOKEN });
  });
  after(async () => {
    await app.http.close();
    await store.close();
  });
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

  test('without ADMIN_TOKEN the endpoints are disabled (503, saying why), never open', async () => {
    const disabled = appWith(store, {});
    for (const request of [
      { method: 'GET' as const, url: '/admin/dead-letters' },
      { method: 'POST' as const, url: `/admin/dead-letters/${ids.toFlex}/retry` },
      { method: 'GET' as const, url: '/admin/dead-letters', headers: { authorization: 'Bearer ' } },
    ]) {
      const response = await disabled.http.inject(request);
      assert.equal(response.statusCode, 503);
      assert.equal(response.json().error.code, 'admin_disabled');
      assert.match(response.json().error.message, /ADMIN_TOKEN/);
    }
    await disabled.http.close();
    assert.equal((await store.listDeadLetters()).length, 2, 'nothing was retried');
  });

  test('a missing or wrong bearer token gets 401', async () => {
    for (const headers of [{}, { authorization: `Bearer ${ADMIN_TOKEN}x` }, { authorization: `Basic ${ADMIN_TOKEN}` }, { authorization: 'Bearer short' }]) {
      const response = await app.http.inject({ method: 'GET', url: '/admin/dead-letters', headers });
      assert.equal(response.statusCode, 401, JSON.stringify(headers));
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="admin"');
      const retry = await app.http.inject({ method: 'POST', url: `/admin/dead-letters/${ids.toFlex}/retry`, headers });
      assert.equal(retry.statusCode, 401);
    }
    assert.equal(tokenMatches(ADMIN_TOKEN, ADMIN_TOKEN), true);
    assert.equal(tokenMatches('', ADMIN_TOKEN), false);
  });

  test('the listing shows reason, attempts, queue and age, but no message text or customer id', async () => {
    const response = await app.http.inject({ method: 'GET', url: '/admin/dead-letters', headers: auth });
    assert.equal(response.statusCode, 200);
    assert.ok(!response.body.includes(SECRET_TEXT) && !response.body.includes(CUSTOMER_ID) && !response.body.includes('Ann'), response.body);
    const { deadLetters } = response.json() as { deadLetters: Array<Record<string, unknown>> };
    assert.deepEqual(
      deadLetters.map((letter) => [letter.id, letter.queue, letter.channelType, letter.type, letter.attempts, letter.reason]),
      [
        [ids.toFlex, 'to-flex', 'chatapp', 'message', 1, 'Twilio answered 400 (error 20001): Invalid Attributes'],
        [ids.toChannel, 'to-channel', 'chatapp', 'message', 1, 'delivery URL answered 410'],
      ],
    );
    for (const letter of deadLetters) {
      assert.equal(typeof letter.ageSeconds, 'number');
      assert.match(String(letter.key), /^[0-9a-f]{12}$/);
      assert.ok(letter.failedAt && letter.createdAt);
    }
    const onlyChannel = await app.http.inject({
      method: 'GET',
      url: '/admin/dead-letters?queue=to-channel',
      headers: auth,
    });
    assert.deepEqual(
      onlyChannel.json().deadLetters.map((letter: { id: number }) => letter.id),
      [ids.toChannel],
    );
    const withPayload = await app.http.inject({
      method: 'GET',
      url: '/admin/dead-letters?include=payload&limit=1',
      headers: auth,
    });
    assert.equal(withPayload.json().deadLetters[0].payload.message.text, SECRET_TEXT, 'payloads only when asked for');
    assert.equal((await app.http.inject({ method: 'GET', url: '/admin/dead-letters?queue=nope', headers: auth })).statusCode, 400);
  });

  test('retry puts one dead letter back in its queue; an unknown id is 404', async () => {
    const response = await app.http.inject({
      method: 'POST',
      url: `/admin/dead-letters/${ids.toChannel}/retry`,
      headers: auth,
    });
    assert.equal(response.statusCode, 202);
    const body = response.json();
    assert.deepEqual([body.status, body.id, body.queue], ['queued', ids.toChannel, 'to-channel']);
    const [pending] = await store.claimDue('to-channel', Date.now(), 10, 1000);
    assert.deepEqual([pending?.id, pending?.attempts], [body.newId, 1]);
    assert.equal((await app.http.inject({ method: 'POST', url: `/admin/dead-letters/${ids.toChannel}/retry`, headers: auth })).statusCode, 404);
    assert.equal((await app.http.inject({ method: 'POST', url: '/admin/dead-letters/abc/retry', headers: auth })).statusCode, 400);
    assert.deepEqual(
      (await store.listDeadLetters()).map((letter) => letter.id),
      [ids.toFlex],
    );
    const all = await app.http.inject({ method: 'POST', url: '/admin/dead-letters/retry-all', headers: auth });
    assert.equal(all.statusCode, 202);
    assert.deepEqual(
      all.json().retried.map((entry: { id: number }) => entry.id),
      [ids.toFlex],
    );
    assert.deepEqual(await store.listDeadLetters(), []);
  });
});

describe('dead-letters CLI', () => {
  test('list (redacted), retry <id>, retry --all on the DATABASE_URL store', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cc-dead-letters-')), 'middleware.sqlite');
    const seeding = openSqliteStore({ path });
    const ids = await seedDeadLetters(seeding);
    await seeding.close();
    const cliEnv = { DATABASE_URL: `sqlite:${path}`, LOG_HASH_KEY: env.LOG_HASH_KEY };
    const run = async (...argv: string[]) => {
      const lines: string[] = [];
      const code = await runDeadLettersCli(argv, cliEnv, (line) => lines.push(line));
      return { code, output: lines.join('\n') };
    };

    const listed = await run('list');
    assert.equal(listed.code, 0);
    assert.match(listed.output, /^ID\s+QUEUE\s+CHANNEL\s+TYPE\s+KEY\s+ATTEMPTS\s+AGE\s+REASON/);
    assert.match(listed.output, new RegExp(`^${ids.toFlex}\\s+to-flex\\s+chatapp\\s+message\\s+[0-9a-f]{12}\\s+1\\s+\\d+s\\s+Twilio answered 400`, 'm'));
    assert.ok(!listed.output.includes(SECRET_TEXT) && !listed.output.includes(CUSTOMER_ID));
    const json = JSON.parse((await run('list', '--json', '--queue', 'to-channel')).output);
    assert.deepEqual(
      json.deadLetters.map((letter: { id: number }) => letter.id),
      [ids.toChannel],
    );

    const one = await run('retry', String(ids.toFlex));
    assert.equal(one.code, 0);
    assert.match(one.output, new RegExp(`dead letter ${ids.toFlex} queued again on to-flex as \\d+`));
    assert.equal((await run('retry', String(ids.toFlex))).code, 1, 'not a dead letter any more');
    const all = await run('retry', '--all');
    assert.match(all.output, /1 dead letter\(s\) queued again/);
    assert.match((await run('list')).output, /no dead letters/);
    await assert.rejects(run('retry'), /retry takes a dead letter id, or --all/);

    const check = openSqliteStore({ path });
    assert.deepEqual(await check.countOutbox().then((counts) => counts.sort((a, b) => a.queue.localeCompare(b.queue))), [
      { queue: 'to-channel', pending: 1, failed: 0 },
      { queue: 'to-flex', pending: 1, failed: 0 },
    ]);
    await check.close();
  });
});
