/**
 * SIGTERM under load, two instances on one real redis-server: readiness fails first, the
 * requests in hand are answered, the entries the stopping instance still holds when its grace
 * runs out are released, and the other instance takes them up at once. Every outcome is read
 * from the stand-in's side.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signInboundRequest } from '../../src/security/hub-signature.js';
import { startSandbox } from '@custom-channels/twilio-sandbox';
import { twilioClientFor } from '@custom-channels/twilio-sandbox/twilio-client';
import { freePort } from '@custom-channels/test-kit/free-port';
import { middlewareEnvironment } from '@custom-channels/test-kit/middleware-env';
import { startMiddlewareProcess, type MiddlewareProcess } from '@custom-channels/test-kit/middleware-process';
import { eventually } from '@custom-channels/test-kit/poll';
import { startReceiver } from '@custom-channels/test-kit/receiver';
import { startRedisServer } from '@custom-channels/test-kit/redis-server';

const SECRET = 'chatapp-secret-for-the-stop-test-01';
const MESSAGE_POST = /^\/conversations\/v1\/Conversations\/[^/]+\/Messages$/;

/**
 * A proxy in front of the stand-in for one instance that holds every message post: no answer
 * and nothing forwarded, as a Twilio call that has not come back when the instance must stop.
 */
async function startHoldingProxy(target: string) {
  const held: ServerResponse[] = [];
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (incoming.method === 'POST' && MESSAGE_POST.test((incoming.url ?? '').split('?')[0]!)) {
      incoming.resume();
      held.push(outgoing);
      return;
    }
    const { host: _host, connection: _connection, ...headers } = incoming.headers;
    const upstream = httpRequest(`${target}${incoming.url}`, { method: incoming.method, headers, agent: false }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => held.length,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}

test('SIGTERM under load: readiness fails first, nothing is lost or doubled, the other instance takes over the released entries', async (t) => {
  const redis = await startRedisServer();
  const sandbox = await startSandbox({ port: 0, logger: false, seed: 1 });
  const receiver = await startReceiver(SECRET);
  const proxy = await startHoldingProxy(sandbox.url);
  const admin = twilioClientFor(sandbox);
  const [portA, portB] = [await freePort(), await freePort()];
  const base = await middlewareEnvironment({
    sandbox,
    port: portB,
    channelSecret: SECRET,
    deliveryUrl: receiver.url,
    databaseUrl: redis.url,
  });
  // Leases and Twilio timeouts far longer than the test: an entry taken up by B was released by A.
  const common = { ...base, LOG_LEVEL: 'warn', OUTBOX_LEASE_MS: '600000', TWILIO_TIMEOUT_MS: '600000' };
  /** The customer's messages in the stand-in, oldest first (none before the conversation exists). */
  const messagesOf = async (customerName: string) => {
    const [conversation] = (await admin.conversations.v1.conversations.list()).filter(
      (candidate) => (JSON.parse(candidate.attributes) as { name?: string }).name === customerName,
    );
    return conversation ? admin.conversations.v1.conversations(conversation.sid).messages.list({ order: 'asc' }) : [];
  };
  let a: MiddlewareProcess | undefined;
  let b: MiddlewareProcess | undefined;
  try {
    a = await startMiddlewareProcess({
      ...common,
      PORT: String(portA),
      TWILIO_API_BASE_URL: proxy.url,
      SHUTDOWN_READINESS_DELAY_MS: '1500',
      SHUTDOWN_GRACE_MS: '3000',
    });
    b = await startMiddlewareProcess({ ...common, PORT: String(portB) });

    const customers = Array.from({ length: 6 }, (_, n) => ({ id: `stop-customer-${n}`, name: `Stop Customer ${n}` }));
    const accepted = new Map<string, string[]>(customers.map((customer) => [customer.name, []]));
    /** Sends to A, and to B when A refuses (as a balancer does); records what was accepted. */
    const send = async (customer: (typeof customers)[number], id: string) => {
      const body = JSON.stringify({ id, from: customer, text: `text of ${id}` });
      for (const instance of [a!, b!]) {
        const answer = await fetch(`${instance.url}/inbound/chatapp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signInboundRequest(SECRET, body) },
          body,
        }).catch(() => undefined);
        // 200: a duplicate of one that reached A before its connection was cut.
        if (answer?.status === 202 || answer?.status === 200) {
          accepted.get(customer.name)!.push(id);
          return;
        }
      }
      assert.fail(`neither instance accepted ${id}`);
    };
    const sendRound = (round: number) => Promise.all(customers.map((customer) => send(customer, `${customer.id}-${round}`)));

    await sendRound(0);
    await sendRound(1);
    await eventually(() => proxy.held() > 0, 'A holding a message post');

    const stopped = a.stop();
    // Readiness fails while the process still answers: balancers stop sending before the listener closes.
    await eventually(
      async () => (await fetch(`${a!.url}/readyz`)).status === 503 && (await fetch(`${a!.url}/healthz`)).status === 200,
      'A not ready, still alive',
    );
    for (let round = 2; round < 6; round += 1) await sendRound(round);
    const exitCode = await stopped;
    const exitedAt = Date.now();
    assert.equal(exitCode, 0, `A exits by itself, with 0, once its grace is over:\n${a.output().join('\n')}`);
    assert.ok(proxy.held() > 0, 'A stopped with message posts in hand');

    const postedAtExit = await Promise.all(customers.map((customer) => messagesOf(customer.name)));
    // Customers with messages still to post: each waits behind the entry A held, if any.
    const waiting = customers.flatMap((customer, n) =>
      postedAtExit[n]!.length < accepted.get(customer.name)!.length ? [{ customer, posted: postedAtExit[n]!.length }] : [],
    );
    await eventually(
      async () => (await Promise.all(waiting.map(({ customer }) => messagesOf(customer.name)))).every((messages, n) => messages.length > waiting[n]!.posted),
      'B posting the next message of each customer still waiting',
    );
    t.diagnostic(`B posted the next message of the ${waiting.length} customers still waiting ${Date.now() - exitedAt} ms after A exited (leases: 600 s)`);
    for (const customer of customers) {
      const ids = accepted.get(customer.name)!;
      const messages = await eventually(async () => {
        const all = await messagesOf(customer.name);
        return all.length >= ids.length && all;
      }, `the ${ids.length} messages of ${customer.name}`);
      assert.deepEqual(
        messages.map((message) => (JSON.parse(message.attributes) as { externalId?: string }).externalId),
        ids,
        `${customer.name}: each accepted message once, in order`,
      );
    }
  } finally {
    await a?.stop();
    await b?.stop();
    await proxy.close();
    await receiver.close();
    await sandbox.close();
    await redis.stop();
  }
});
