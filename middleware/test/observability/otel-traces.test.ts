/**
 * OpenTelemetry traces, read from a local OTLP/HTTP receiver: one inbound message is one
 * trace from the request through the outbox to the Twilio calls, continued by the instance
 * that takes the entry over when the first stops; an agent's reply is one trace from Twilio's
 * webhook to the channel delivery. Spans leave each process only when it stops (the batch
 * delay is far longer than the test), so the stop is what exports them. No export carries
 * the message text, a name or an id in clear.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signInboundRequest } from '../../src/security/hub-signature.js';
import { startSandbox } from '@custom-channels/twilio-sandbox';
import { twilioClientFor } from '@custom-channels/twilio-sandbox/twilio-client';
import { freePort } from '@custom-channels/test-kit/free-port';
import { middlewareEnvironment } from '@custom-channels/test-kit/middleware-env';
import { startMiddlewareProcess, type MiddlewareProcess } from '@custom-channels/test-kit/middleware-process';
import { startOtlpReceiver, type ReceivedSpan } from '@custom-channels/test-kit/otlp-receiver';
import { eventually } from '@custom-channels/test-kit/poll';
import { startReceiver } from '@custom-channels/test-kit/receiver';
import { startRedisServer } from '@custom-channels/test-kit/redis-server';

const SECRET = 'chatapp-secret-for-the-otel-test-01';
const SPAN_KIND = { server: 2, client: 3, consumer: 5 };
/** How long a step may take on a machine busy with other suites: a deadline, not a measurement. */
const LOADED_MACHINE_MS = 60_000;

/** Stands for Twilio to an instance that must not finish its call: takes every request, answers none. */
async function startSilentTwilio() {
  const held: ServerResponse[] = [];
  const server = createServer((incoming, outgoing) => {
    incoming.resume();
    held.push(outgoing);
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

test('one trace per message across the request, the outbox, the instances and the Twilio calls; nothing personal in any span', async () => {
  const redis = await startRedisServer();
  const sandbox = await startSandbox({ port: 0, logger: false, seed: 7 });
  const channel = await startReceiver(SECRET);
  const otlp = await startOtlpReceiver();
  const silentTwilio = await startSilentTwilio();
  const admin = twilioClientFor(sandbox);
  const [portA, portB] = [await freePort(), await freePort()];
  const base = await middlewareEnvironment({ sandbox, port: portB, channelSecret: SECRET, deliveryUrl: channel.url, databaseUrl: redis.url });
  const common = {
    ...base,
    LOG_LEVEL: 'warn',
    OUTBOX_LEASE_MS: '600000',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '600000',
  };
  const customer = { id: 'otel-customer-4711', name: 'Olive Tracer' };
  const text = 'my parcel number is 99-1234-5678';
  const reply = 'your parcel left the depot this morning';
  let a: MiddlewareProcess | undefined;
  let b: MiddlewareProcess | undefined;
  try {
    a = await startMiddlewareProcess({
      ...common,
      PORT: String(portA),
      OTEL_SERVICE_NAME: 'instance-a',
      TWILIO_API_BASE_URL: silentTwilio.url,
      SHUTDOWN_GRACE_MS: '1000',
    });
    const body = JSON.stringify({ id: 'otel-1', from: customer, text });
    const accepted = await fetch(`${a.url}/inbound/chatapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signInboundRequest(SECRET, body) },
      body,
    });
    assert.equal(accepted.status, 202);
    await eventually(() => silentTwilio.held() > 0, 'A calling Twilio for the entry', LOADED_MACHINE_MS);
    assert.equal(otlp.spans.length, 0, 'nothing exported before the batch delay or a stop');
    assert.equal(await a.stop(), 0, a.output().join('\n'));
    const request = otlp.spans.find((span) => span.service === 'instance-a' && span.kind === SPAN_KIND.server);
    assert.ok(request, `the stop exported A's request span: ${JSON.stringify(otlp.spans)}`);
    assert.equal(request.name, 'POST /inbound/:channelType');
    assert.equal(request.attributes['http.response.status_code'], 202);

    b = await startMiddlewareProcess({ ...common, PORT: String(portB), OTEL_SERVICE_NAME: 'instance-b' });
    const conversation = await eventually(
      async () => {
        const [found] = (await admin.conversations.v1.conversations.list()).filter(
          (candidate) => (JSON.parse(candidate.attributes) as { name?: string }).name === customer.name,
        );
        return found && (await admin.conversations.v1.conversations(found.sid).messages.list()).length > 0 && found;
      },
      'B posting the message A released',
      LOADED_MACHINE_MS,
    );
    await admin.conversations.v1.conversations(conversation.sid).messages.create({ author: 'agent-otel', body: reply, xTwilioWebhookEnabled: 'true' });
    await eventually(() => channel.received.some((delivery) => delivery.body.text === reply), 'the reply delivered to the channel', LOADED_MACHINE_MS);
    assert.equal(await b.stop(), 0, b.output().join('\n'));

    const ofB = otlp.spans.filter((span) => span.service === 'instance-b');
    const toFlex = ofB.find((span) => span.name === 'outbox to-flex' && span.traceId === request.traceId);
    assert.ok(toFlex, `B's attempt continues the trace of A's request: ${JSON.stringify(ofB.map(brief))}`);
    assert.equal(toFlex.kind, SPAN_KIND.consumer);
    assert.equal(toFlex.parentSpanId, request.spanId, 'through the context stored with the entry');
    assert.equal(toFlex.attributes['outbox.outcome'], 'done');
    assert.match(String(toFlex.attributes['outbox.ordering_key_hash']), /^[0-9a-f]{12}$/);
    const twilioCalls = ofB.filter((span) => span.kind === SPAN_KIND.client && span.parentSpanId === toFlex.spanId);
    assert.ok(
      twilioCalls.some((span) => span.name === 'twilio POST /conversations/v1/Conversations/{id}/Messages' && span.traceId === request.traceId),
      `the message post is a child of B's attempt: ${JSON.stringify(twilioCalls.map(brief))}`,
    );

    const deliveries = ofB.filter((span) => span.name === 'outbox to-channel');
    assert.ok(deliveries.length > 0, `B delivered to the channel: ${JSON.stringify(ofB.map(brief))}`);
    for (const delivery of deliveries) {
      const webhook = ofB.find((span) => span.spanId === delivery.parentSpanId);
      assert.ok(webhook, `each delivery continues a trace: ${JSON.stringify(ofB.map(brief))}`);
      assert.equal(webhook.name, 'POST /twilio/conversations', "that of Twilio's webhook");
      assert.equal(webhook.traceId, delivery.traceId);
      assert.equal(delivery.attributes['outbox.outcome'], 'done');
    }

    assert.ok(
      channel.received.every((received) => !JSON.stringify(received.body).includes('traceparent')),
      'the trace context stays inside the middleware',
    );
    const exported = otlp.bodies.join('\n');
    for (const secret of [text, reply, customer.id, customer.name, conversation.sid, 'agent-otel']) {
      assert.ok(!exported.includes(secret), `no export carries ${secret}`);
    }
  } finally {
    await a?.stop();
    await b?.stop();
    await silentTwilio.close();
    await otlp.close();
    await channel.close();
    await sandbox.close();
    await redis.stop();
  }
});

function brief(span: ReceivedSpan) {
  return { name: span.name, traceId: span.traceId, spanId: span.spanId, parent: span.parentSpanId };
}
