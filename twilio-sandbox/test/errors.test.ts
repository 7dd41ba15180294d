import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import twilio from 'twilio';
import { twilioClientFor } from '../src/twilio-client.js';
import { control, conversationWithWebhook, startHarness, startReceiver } from './helpers.js';

interface RestError {
  status: number;
  code: number;
  message: string;
  moreInfo: string;
}

const h = await startHarness({ apiKeys: { SK00000000000000000000000000000001: 'key-secret' } });
const receiver = await startReceiver();
after(() => Promise.all([h.close(), receiver.close()]));

/** A POST with the account's credentials and a body the twilio library would never send. */
const postAsAccount = (path: string, contentType: string, body: string) =>
  fetch(`${h.sandbox.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${h.sandbox.accountSid}:${h.sandbox.authToken}`).toString('base64')}`,
      'content-type': contentType,
    },
    body,
  });

const isError = (status: number, code: number) => (err: unknown) => {
  const e = err as RestError;
  assert.equal(e.status, status, `status (${e.message})`);
  assert.equal(e.code, code, `code (${e.message})`);
  assert.equal(e.moreInfo, `https://www.twilio.com/docs/errors/${code}`);
  return true;
};

describe('authentication', () => {
  test('a wrong auth token gets 401 / 20003', async () => {
    const bad = twilioClientFor({ url: h.sandbox.url, accountSid: h.sandbox.accountSid, authToken: 'wrong' });
    await assert.rejects(bad.conversations.v1.conversations.list(), isError(401, 20003));
    await assert.rejects(bad.taskrouter.v1.workspaces(h.sandbox.seeded.workspaceSid).fetch(), isError(401, 20003));
  });

  test('no credentials at all get 401 with Twilio error body and WWW-Authenticate', async () => {
    const res = await fetch(`${h.sandbox.url}/conversations/v1/Conversations`);
    assert.equal(res.status, 401);
    assert.match(String(res.headers.get('www-authenticate')), /^Basic/);
    assert.deepEqual(await res.json(), {
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });

  test('an API key and secret are accepted', async () => {
    const keyed = twilioClientFor({
      url: h.sandbox.url,
      accountSid: h.sandbox.accountSid,
      apiKeySid: 'SK00000000000000000000000000000001',
      apiKeySecret: 'key-secret',
    });
    const ws = await keyed.taskrouter.v1.workspaces(h.sandbox.seeded.workspaceSid).fetch();
    assert.equal(ws.friendlyName, 'Flex Task Assignment');
  });
});

describe('Twilio error codes', () => {
  test('unknown resources get 404 / 20404', async () => {
    await assert.rejects(h.client.conversations.v1.conversations('CH00000000000000000000000000000000').fetch(), isError(404, 20404));
    await assert.rejects(h.client.studio.v2.flows('FW00000000000000000000000000000000').fetch(), isError(404, 20404));
    const res = await h.client.request({ method: 'get', uri: `${h.sandbox.url}/conversations/v1/Nothing` });
    assert.equal(res.statusCode, 404);
    assert.equal((res.body as { code: number }).code, 20404);
  });

  test('a taken conversation unique name gets 409 / 50353; the unique name works as the path SID', async () => {
    const c = await h.client.conversations.v1.conversations.create({ uniqueName: 'order-42' });
    await assert.rejects(h.client.conversations.v1.conversations.create({ uniqueName: 'order-42' }), isError(409, 50353));
    assert.equal((await h.client.conversations.v1.conversations('order-42').fetch()).sid, c.sid);
  });

  test('a renamed or removed conversation frees its unique name; the new name is taken and works as the path SID', async () => {
    const c = await h.client.conversations.v1.conversations.create({ uniqueName: 'order-43' });
    await h.client.conversations.v1.conversations(c.sid).update({ uniqueName: 'order-44' });
    await assert.rejects(h.client.conversations.v1.conversations('order-43').fetch(), isError(404, 20404));
    assert.equal((await h.client.conversations.v1.conversations('order-44').fetch()).sid, c.sid);
    await assert.rejects(h.client.conversations.v1.conversations.create({ uniqueName: 'order-44' }), isError(409, 50353));
    const second = await h.client.conversations.v1.conversations.create({ uniqueName: 'order-43' });
    await h.client.conversations.v1.conversations(second.sid).remove();
    await assert.rejects(h.client.conversations.v1.conversations('order-43').fetch(), isError(404, 20404));
    assert.ok((await h.client.conversations.v1.conversations.create({ uniqueName: 'order-43' })).sid);
  });

  test('a duplicate participant identity gets 409 / 50433', async () => {
    const c = await h.client.conversations.v1.conversations.create({});
    await h.client.conversations.v1.conversations(c.sid).participants.create({ identity: 'dup' });
    await assert.rejects(h.client.conversations.v1.conversations(c.sid).participants.create({ identity: 'dup' }), isError(409, 50433));
  });

  test('invalid input gets 400 and never crashes the stand-in', async () => {
    const c = await h.client.conversations.v1.conversations.create({});
    await assert.rejects(h.client.conversations.v1.conversations.create({ attributes: '{not json' }), isError(400, 20001));
    await assert.rejects(h.client.conversations.v1.conversations.create({ 'timers.closed': 'tomorrow' }), isError(400, 20001));
    await assert.rejects(h.client.conversations.v1.conversations(c.sid).webhooks.create({ target: 'webhook' }), isError(400, 20001));
    await assert.rejects(h.client.flexApi.v1.interaction.create({ channel: 'not json' }), (err: unknown) => (err as RestError).status === 400);
    const garbage = await postAsAccount('/conversations/v1/Conversations', 'application/json', '{"broken');
    assert.equal(garbage.status, 400);
    assert.equal(((await garbage.json()) as { code: number }).code, 20001);
    assert.ok((await h.client.conversations.v1.conversations(c.sid).fetch()).sid);
  });
});

describe('paging', () => {
  test('PageSize / PageToken with meta as Twilio, and the library follows next_page_url', async () => {
    const ch = await h.client.conversations.v1.conversations.create({});
    for (let i = 0; i < 7; i++) await h.client.conversations.v1.conversations(ch.sid).messages.create({ body: `m${i}` });
    const page = await h.client.conversations.v1.conversations(ch.sid).messages.page({ pageSize: 3 });
    assert.equal(page.instances.length, 3);
    const raw = (h.client.httpClient as unknown as { lastResponse: { body: { meta: Record<string, unknown> } } }).lastResponse.body.meta;
    assert.equal(raw.page, 0);
    assert.equal(raw.page_size, 3);
    assert.equal(raw.key, 'messages');
    assert.equal(raw.previous_page_url, null);
    assert.match(String(raw.next_page_url), new RegExp(`^${h.sandbox.url}/conversations/v1/Conversations/${ch.sid}/Messages\\?PageSize=3&Page=1&PageToken=`));
    assert.match(String(raw.first_page_url), /PageSize=3&Page=0$/);
    const next = await page.nextPage();
    assert.deepEqual(
      next!.instances.map((m) => m.body),
      ['m3', 'm4', 'm5'],
    );
    const all = await h.client.conversations.v1.conversations(ch.sid).messages.list({ pageSize: 2 });
    assert.deepEqual(
      all.map((m) => m.body),
      ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'],
    );
    const desc = await h.client.conversations.v1.conversations(ch.sid).messages.list({ order: 'desc', limit: 2 });
    assert.deepEqual(
      desc.map((m) => m.index),
      [6, 5],
    );
  });

  test('a PageSize over the maximum the spec declares for the list is refused, not capped', async () => {
    const conversation = await h.client.conversations.v1.conversations.create({});
    await h.client.conversations.v1.conversations(conversation.sid).participants.create({ identity: 'pager' });
    const participants = h.client.conversations.v1.conversations(conversation.sid).participants;
    await assert.rejects(participants.page({ pageSize: 101 }), isError(400, 20001));
    await assert.rejects(h.client.conversations.v1.conversations.page({ pageSize: 0 }), isError(400, 20001));
    assert.equal((await participants.page({ pageSize: 100 })).instances.length > 0, true);
  });
});

describe('fault injection', () => {
  test('a 429 rate of 1 gives 429 / 20429 with Retry-After, only on the matching route', async () => {
    h.sandbox.setFaults({
      http: [
        {
          match: { product: 'conversations', method: 'POST', path: '/v1/Conversations/*/Messages' },
          rate429: 1,
          retryAfterSeconds: 2,
        },
      ],
    });
    try {
      const c = await h.client.conversations.v1.conversations.create({});
      await assert.rejects(h.client.conversations.v1.conversations(c.sid).messages.create({ body: 'x' }), isError(429, 20429));
      const res = await postAsAccount(`/conversations/v1/Conversations/${c.sid}/Messages`, 'application/x-www-form-urlencoded', 'Body=x');
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '2');
      // Other routes are untouched.
      await h.client.conversations.v1.conversations(c.sid).fetch();
    } finally {
      h.sandbox.setFaults({});
    }
  });

  test('500 and 503 rates; faults set through the control API', async () => {
    const put = await control(h.sandbox, 'PUT', '/faults', {
      http: [{ match: { product: 'taskrouter' }, rate503: 1 }],
    });
    assert.equal(put.status, 200);
    assert.deepEqual((await control(h.sandbox, 'GET', '/faults')).body, {
      http: [{ match: { product: 'taskrouter' }, rate503: 1 }],
    });
    await assert.rejects(h.client.taskrouter.v1.workspaces.list(), (e: unknown) => (e as RestError).status === 503);
    await control(h.sandbox, 'PUT', '/faults', { http: [{ match: { product: 'studio' }, rate500: 1 }] });
    await assert.rejects(h.client.studio.v2.flows.list(), (e: unknown) => (e as RestError).status === 500);
    const invalid = await control<{ code: number }>(h.sandbox, 'PUT', '/faults', { http: [{ rate429: 7 }] });
    assert.equal(invalid.status, 400);
    await control(h.sandbox, 'PUT', '/faults', {});
    assert.ok(await h.client.studio.v2.flows.list());
  });

  test('injected faults are counted by kind (faultStats(), GET /sandbox/faults/stats)', async () => {
    const before = h.sandbox.faultStats();
    h.sandbox.setFaults({ http: [{ match: { product: 'studio', method: 'GET' }, rate429: 1, latencyMs: 1 }] });
    try {
      for (let i = 0; i < 3; i++) await assert.rejects(h.client.studio.v2.flows.list(), isError(429, 20429));
    } finally {
      h.sandbox.setFaults({});
    }
    await h.client.studio.v2.flows.list();
    const after = (await control<Record<string, number>>(h.sandbox, 'GET', '/faults/stats')).body;
    assert.deepEqual(after, { ...before, http429: before.http429 + 3, delayed: before.delayed + 3 });
    assert.deepEqual(h.sandbox.faultStats(), after);
  });

  test('a script answers the first matching requests in order, then the rates apply; setting it again starts it over', async () => {
    const before = h.sandbox.faultStats();
    const statuses = async (count: number) => {
      const answers: Array<number | string> = [];
      for (let i = 0; i < count; i++) {
        answers.push(
          await h.client.request({ method: 'get', uri: `${h.sandbox.url}/studio/v2/Flows` }).then(
            (response) => response.statusCode,
            () => 'reset',
          ),
        );
      }
      return answers;
    };
    h.sandbox.setFaults({ http: [{ match: { product: 'studio', method: 'GET' }, script: [429, 'none', 500, 'reset', 503] }] });
    try {
      assert.deepEqual(await statuses(7), [429, 200, 500, 'reset', 503, 200, 200]);
      assert.deepEqual(h.sandbox.faultStats(), {
        ...before,
        http429: before.http429 + 1,
        http500: before.http500 + 1,
        http503: before.http503 + 1,
        resets: before.resets + 1,
      });
      h.sandbox.setFaults({ http: [{ match: { product: 'studio', method: 'GET' }, script: [500], rate503: 1 }] });
      assert.deepEqual(await statuses(2), [500, 503], 'the new script first, then its rate');
    } finally {
      h.sandbox.setFaults({});
    }
    const invalid = await control<{ code: number; message: string }>(h.sandbox, 'PUT', '/faults', { http: [{ script: [429, 404] }] });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body.message, /script/);
  });

  test('a reset closes the connection without an answer, and is counted', async () => {
    const before = h.sandbox.faultStats();
    h.sandbox.setFaults({ http: [{ match: { product: 'studio', method: 'GET' }, rateReset: 1 }] });
    try {
      await assert.rejects(h.client.studio.v2.flows.list(), (e: unknown) =>
        /ECONNRESET|socket hang up/.test(`${(e as { code?: string }).code} ${(e as Error).message}`),
      );
    } finally {
      h.sandbox.setFaults({});
    }
    assert.equal(h.sandbox.faultStats().resets, before.resets + 1);
    assert.ok(await h.client.studio.v2.flows.list());
  });

  test('latency is added', async () => {
    h.sandbox.setFaults({ http: [{ match: { product: 'studio' }, latencyMs: 150 }] });
    try {
      const started = performance.now();
      await h.client.studio.v2.flows.list();
      assert.ok(performance.now() - started >= 140, 'at least the injected latency');
    } finally {
      h.sandbox.setFaults({});
    }
  });

  test('the same seed reproduces the same faults', async () => {
    const outcomes = async () => {
      const other = await startHarness({ seed: 99, faults: { http: [{ rate503: 0.5 }] } });
      try {
        const results: number[] = [];
        for (let i = 0; i < 12; i++) {
          results.push((await other.client.request({ method: 'get', uri: `${other.sandbox.url}/studio/v2/Flows` })).statusCode);
        }
        return results;
      } finally {
        await other.close();
      }
    };
    const first = await outcomes();
    assert.deepEqual(await outcomes(), first);
    assert.ok(first.includes(503) && first.includes(200));
  });

  test('dropped webhooks are not sent; delayed ones arrive', async () => {
    const c = await conversationWithWebhook(h, { url: `${receiver.url}/faulty`, filters: ['onMessageAdded'] });
    h.sandbox.setFaults({ webhooks: { dropRate: 1 } });
    await h.client.conversations.v1.conversations(c.sid).messages.create({ body: 'lost' });
    await h.sandbox.idle();
    assert.equal(receiver.received.filter((r) => r.path === '/faulty').length, 0);
    assert.ok(h.sandbox.webhookDeliveries().some((d) => d.outcome === 'dropped'));
    h.sandbox.setFaults({ webhooks: { delayMs: { min: 30, max: 60 } } });
    await h.client.conversations.v1.conversations(c.sid).messages.create({ body: 'late' });
    const hook = await receiver.waitFor((r) => r.path === '/faulty');
    assert.equal(hook.params.Body, 'late');
    h.sandbox.setFaults({});
  });
});

describe('webhook delivery', () => {
  test('a failed webhook is retried with the same idempotency token and a valid signature', async () => {
    const c = await conversationWithWebhook(h, { url: `${receiver.url}/retry?x=1`, filters: ['onMessageAdded'] });
    let calls = 0;
    receiver.respond = (r) => (r.path.startsWith('/retry') && ++calls === 1 ? 500 : 200);
    try {
      await h.client.conversations.v1.conversations(c.sid).messages.create({ body: 'retry me' });
      await h.sandbox.idle();
      const got = receiver.received.filter((r) => r.path.startsWith('/retry'));
      assert.equal(got.length, 2);
      assert.equal(got[0]!.headers['i-twilio-idempotency-token'], got[1]!.headers['i-twilio-idempotency-token']);
      for (const r of got) {
        assert.ok(twilio.validateRequest(h.sandbox.authToken, String(r.headers['x-twilio-signature']), r.url, r.params));
      }
    } finally {
      receiver.respond = () => 200;
    }
  });

  test('a slow receiver times out (webhookTimeoutMs) and is retried with the same token', async () => {
    const quick = await startHarness({ webhookTimeoutMs: 100, webhookRetries: 1 });
    const tokens: string[] = [];
    const held: http.ServerResponse[] = [];
    const slow = http.createServer((req, res) => {
      tokens.push(String(req.headers['i-twilio-idempotency-token']));
      req.resume();
      if (tokens.length === 1)
        held.push(res); // never answered: the stand-in times out
      else res.end();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const port = (slow.address() as AddressInfo).port;
    try {
      const c = await quick.client.conversations.v1.conversations.create({});
      await quick.client.conversations.v1.conversations(c.sid).webhooks.create({
        target: 'webhook',
        'configuration.url': `http://127.0.0.1:${port}/slow`,
        'configuration.filters': ['onMessageAdded'],
      });
      await quick.client.conversations.v1.conversations(c.sid).messages.create({ body: 'slow' });
      await quick.sandbox.idle();
      const record = quick.sandbox.webhookDeliveries().find((d) => d.url.endsWith('/slow'))!;
      assert.equal(record.outcome, 'delivered');
      assert.equal(record.attempts.length, 2);
      assert.match(String(record.attempts[0]!.error), /timed out after 100 ms/);
      assert.equal(tokens.length, 2);
      assert.equal(tokens[0], tokens[1]);
    } finally {
      for (const res of held) res.destroy();
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
      await quick.close();
    }
  });
});
