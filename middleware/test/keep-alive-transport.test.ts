import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTwilioClient, type TwilioClientOptions } from '../src/twilio/client.js';
import { KeepAliveTwilioTransport } from '../src/twilio/keep-alive-transport.js';
import { failureOf } from '../src/flex/twilio-errors.js';
import { createKeepAliveHttp, readText } from '../src/shared/keep-alive-http.js';

const ACCOUNT_SID = 'AC00000000000000000000000000000000';
const CONVERSATION_SID = 'CH00000000000000000000000000000001';

interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
  contentType?: string;
  accept?: string;
  body: string;
}

/** A Twilio lookalike that records each request and answers as `answer` says (or never). */
async function fakeTwilio(answer: (request: IncomingMessage, response: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const { authorization, accept } = request.headers;
      seen.push({ method: request.method, url: request.url, authorization, contentType: request.headers['content-type'], accept, body });
      answer(request, response);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    const closed = new Promise<void>((done) => server.close(() => done()));
    server.closeAllConnections();
    await closed;
  };
  return { url, seen, close };
}

const jsonAnswer = (status: number, body: unknown) => (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

const clientFor = (url: string, extra: Partial<TwilioClientOptions> = {}) =>
  createTwilioClient({ accountSid: ACCOUNT_SID, authToken: 'secret-token', apiBaseUrl: url, ...extra });

test('the Twilio client carries its requests on the keep-alive transport unless told otherwise', () => {
  assert.ok(createTwilioClient({ accountSid: ACCOUNT_SID, authToken: 'token' }).httpClient instanceof KeepAliveTwilioTransport);
  assert.ok(!(createTwilioClient({ accountSid: ACCOUNT_SID, authToken: 'token', transport: 'library' }).httpClient instanceof KeepAliveTwilioTransport));
  // A proxy is something only the library's own client knows how to use.
  process.env.HTTP_PROXY = 'http://127.0.0.1:9';
  try {
    assert.ok(!(createTwilioClient({ accountSid: ACCOUNT_SID, authToken: 'token' }).httpClient instanceof KeepAliveTwilioTransport));
  } finally {
    delete process.env.HTTP_PROXY;
  }
});

test("the keep-alive transport sends what the library's own client sends: form with repeated keys, query, JSON, auth", async () => {
  const twilio = await fakeTwilio(jsonAnswer(200, { sid: 'WH00000000000000000000000000000001', conversations: [], meta: {} }));
  try {
    const sent: Seen[][] = [];
    for (const transport of ['library', 'keep-alive'] as const) {
      const client = clientFor(twilio.url, { transport });
      await client.conversations.v1.conversations(CONVERSATION_SID).webhooks.create({
        target: 'webhook',
        'configuration.url': 'https://example.com/hook?a=1&b=2',
        'configuration.filters': ['onMessageAdded', 'onMessageUpdated'],
      });
      await client.conversations.v1.conversations.page({ pageSize: 7, state: 'active' });
      await client.content.v1.contents.create({ friendlyName: 'quick reply', language: 'en', variables: { '1': 'é & ü' }, types: {} } as never);
      sent.push(twilio.seen.splice(0));
    }
    assert.deepEqual(sent[1], sent[0]);
    const [form, list, json] = sent[1]!;
    assert.equal(
      form!.body,
      'Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fhook%3Fa%3D1%26b%3D2&Configuration.Filters=onMessageAdded&Configuration.Filters=onMessageUpdated',
    );
    assert.equal(list!.url, '/conversations/v1/Conversations?State=active&PageSize=7');
    assert.equal(json!.contentType, 'application/json');
    assert.equal(form!.authorization, `Basic ${Buffer.from(`${ACCOUNT_SID}:secret-token`).toString('base64')}`);
  } finally {
    await twilio.close();
  }
});

test("Twilio's error answers reach the Failure vocabulary as before: a 400 is permanent, a 503 may heal", async () => {
  let status = 400;
  const twilio = await fakeTwilio((request, response) =>
    jsonAnswer(status, { code: status === 400 ? 21604 : 20503, message: 'nope', status })(request, response),
  );
  try {
    const client = clientFor(twilio.url);
    const create = () =>
      client.conversations.v1.conversations.create({ friendlyName: 'x' }).then(
        () => assert.fail('expected an error'),
        (error: unknown) => error,
      );
    assert.deepEqual(failureOf(await create()), { kind: 'permanent', reason: 'Twilio answered 400 (error 21604): nope' });
    status = 503;
    assert.equal(failureOf(await create()).kind, 'transient');
  } finally {
    await twilio.close();
  }
});

test('a Twilio that does not answer within the timeout is a transient failure, named without the URL', async () => {
  const twilio = await fakeTwilio(() => {});
  try {
    const client = clientFor(twilio.url, { timeoutMs: 150 });
    const error = await client.conversations.v1
      .conversations(CONVERSATION_SID)
      .messages.create({ body: 'hello' })
      .then(
        () => assert.fail('expected a timeout'),
        (caught: unknown) => caught as Error,
      );
    assert.deepEqual(failureOf(error), { kind: 'transient', reason: 'Twilio request failed: ETIMEDOUT' });
    assert.doesNotMatch(error.message, /CH0|127\.0\.0\.1|secret/);
  } finally {
    await twilio.close();
  }
});

test('a Twilio host that refuses the connection is a transient failure', async () => {
  const twilio = await fakeTwilio(() => {});
  await twilio.close();
  const error = await clientFor(twilio.url)
    .conversations.v1.conversations.create({ friendlyName: 'x' })
    .then(
      () => assert.fail('expected a refusal'),
      (caught: unknown) => caught,
    );
  assert.deepEqual(failureOf(error), { kind: 'transient', reason: 'Twilio request failed: ECONNREFUSED' });
});

test("an answer whose body stops half way is a transient failure once the timeout passes, and the connection's next request is a new one", async () => {
  let stall = true;
  const twilio = await fakeTwilio((_request, response) => {
    if (!stall) return jsonAnswer(201, { sid: CONVERSATION_SID })(_request, response);
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    response.write('{"sid":');
  });
  try {
    const client = clientFor(twilio.url, { timeoutMs: 150 });
    const error = await client.conversations.v1.conversations.create({ friendlyName: 'x' }).then(
      () => assert.fail('expected a timeout'),
      (caught: unknown) => caught,
    );
    assert.deepEqual(failureOf(error), { kind: 'transient', reason: 'Twilio request failed: ETIMEDOUT' });
    stall = false;
    assert.equal((await client.conversations.v1.conversations.create({ friendlyName: 'y' })).sid, CONVERSATION_SID);
  } finally {
    await twilio.close();
  }
});

test('an answer larger than the bound is not read whole: the read fails with EMSGSIZE', async () => {
  const server = await fakeTwilio((_request, response) => response.end('x'.repeat(2048)));
  try {
    const http = createKeepAliveHttp(1000);
    const small = await http.send({ url: `${server.url}/small`, method: 'GET', headers: {} });
    assert.equal((await readText(small.body, 4096)).length, 2048);
    const large = await http.send({ url: `${server.url}/large`, method: 'GET', headers: {} });
    await assert.rejects(readText(large.body, 1024), { code: 'EMSGSIZE' });
  } finally {
    await server.close();
  }
});
