import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebhookAdapter } from '../src/delivery/webhook-adapter.js';
import { parseRetryAfter } from '../src/outbox/failure.js';
import type { ChannelEvent } from '../src/delivery/channel-events.js';
import { startReceiver } from '@custom-channels/test-kit/receiver';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signBody, verifySignedRequest } from '../src/security/hub-signature.js';

const secret = 'receiver-secret-0123456789';
const event: ChannelEvent = {
  type: 'message',
  id: 'IM1',
  conversationSid: 'CH1',
  to: { id: 'customer-1' },
  author: 'agent',
  text: 'Hello',
};

test('POSTs the event as JSON signed with the channel secret', async () => {
  const receiver = await startReceiver(secret);
  const adapter = createWebhookAdapter();
  const channel = {
    channelType: 'chatapp',
    displayName: 'Chat App',
    maxMessageLength: 32_768,
    adapter: 'webhook' as const,
    secret,
    deliveryUrl: receiver.url,
  };
  assert.deepEqual(await adapter.deliver(channel, event), { ok: true });
  assert.deepEqual(receiver.received, [{ body: event, signatureValid: true }]);

  receiver.failNext(1, 503, '7');
  assert.deepEqual(await adapter.deliver(channel, event), { kind: 'transient', reason: 'delivery URL answered 503', retryAfterMs: 7000 });
  receiver.failNext(1, 400);
  assert.deepEqual(await adapter.deliver(channel, event), { kind: 'permanent', reason: 'delivery URL answered 400' });
  await receiver.close();

  const unreachable = await adapter.deliver(channel, event);
  assert.equal('kind' in unreachable && unreachable.kind, 'transient');
});

test('a delivery carries the timestamped signature, and the body-only one for receivers that check only that', async () => {
  let received: { headers: IncomingHttpHeaders; raw: Buffer } | undefined;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received = { headers: request.headers, raw: Buffer.concat(chunks) };
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const deliveryUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const channel = { channelType: 'chatapp', displayName: 'Chat App', maxMessageLength: 32_768, adapter: 'webhook' as const, secret, deliveryUrl };
  try {
    assert.deepEqual(await createWebhookAdapter().deliver(channel, event), { ok: true });
    const { headers, raw } = received!;
    const check = verifySignedRequest({ secret, rawBody: raw, headers, nowSeconds: Math.floor(Date.now() / 1000), toleranceSeconds: 300, acceptLegacy: false });
    assert.deepEqual(check, { ok: true, scheme: 'v1' });
    assert.equal(headers['x-hub-signature-256'], signBody(secret, raw));
  } finally {
    server.close();
  }
});

test('Retry-After in seconds or as a date', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});

/** A receiver answering every request with `answer`; the requests it saw, by path. */
async function startAnswering(answer: (path: string, response: ServerResponse) => void) {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    request.resume();
    request.on('end', () => answer(request.url ?? '', response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, paths, close };
}

const channelAt = (deliveryUrl: string) => ({
  channelType: 'chatapp',
  displayName: 'Chat App',
  maxMessageLength: 32_768,
  adapter: 'webhook' as const,
  secret,
  deliveryUrl,
});

test('a redirect is an answer: the signed body is not sent to where it points', async () => {
  const receiver = await startAnswering((path, response) => {
    if (path === '/hook?tenant=1') response.writeHead(307, { location: '/elsewhere' }).end();
    else response.writeHead(204).end();
  });
  try {
    const result = await createWebhookAdapter().deliver(channelAt(`${receiver.url}/hook?tenant=1`), event);
    assert.equal('kind' in result && result.kind, 'permanent');
    assert.deepEqual(receiver.paths, ['/hook?tenant=1']);
  } finally {
    await receiver.close();
  }
});

test("a refusal's code is read from its body; free text is not kept", async () => {
  let body = JSON.stringify({ error: { code: 'customer_unreachable', message: 'Jane blocked us' } });
  const receiver = await startAnswering((_path, response) => response.writeHead(410, { 'content-type': 'application/json' }).end(body));
  try {
    assert.deepEqual(await createWebhookAdapter().deliver(channelAt(receiver.url), event), {
      kind: 'permanent',
      reason: 'delivery URL answered 410 (customer_unreachable)',
    });
    body = JSON.stringify({ error: { code: 'Jane Doe blocked us' } });
    assert.deepEqual(await createWebhookAdapter().deliver(channelAt(receiver.url), event), { kind: 'permanent', reason: 'delivery URL answered 410' });
  } finally {
    await receiver.close();
  }
});

test('a receiver that never answers is a transient failure once the timeout passes', async () => {
  const receiver = await startAnswering(() => undefined);
  try {
    assert.deepEqual(await createWebhookAdapter({ timeoutMs: 50 }).deliver(channelAt(receiver.url), event), {
      kind: 'transient',
      reason: 'delivery URL unreachable: ETIMEDOUT',
    });
  } finally {
    await receiver.close();
  }
});

test('an answer whose body never ends is not read for ever: the connection is dropped once a bounded amount is drained', { timeout: 30_000 }, async () => {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let closed!: () => void;
  const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'text/plain' });
    const pour = () => {
      while (!response.destroyed && response.write(chunk));
    };
    response.on('drain', pour);
    response.on('close', closed);
    pour();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    assert.deepEqual(await createWebhookAdapter().deliver(channelAt(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), event), { ok: true });
    await connectionClosed;
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
