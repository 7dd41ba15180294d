/** Tracing is off unless an OTLP endpoint is set, and then nothing of OpenTelemetry is loaded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Span } from '@opentelemetry/api';
import { safeErrorMessage } from '@custom-channels/logging';
import { createLogger } from '../../src/observability/logger.js';
import { stampingTraceContext } from '../../src/observability/trace-stamping-store.js';
import { traceContextOf, withTraceContext } from '../../src/observability/trace-context.js';
import { NO_TRACING, startTracing, tracingSettingsFrom, type TracingModule } from '../../src/observability/tracing.js';
import { recordFailure, urlTemplateOf } from '../../src/observability/otel-tracing.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

const deps = { hashForLog: (value: string) => `hash-of-${value.length}`, logger: createLogger('silent') };

/** A loader that counts its calls and hands back tracing that is recognisably its own. */
function countingLoader() {
  const loader = {
    calls: 0,
    load: (): Promise<TracingModule> => {
      loader.calls += 1;
      return Promise.resolve({ startOtelTracing: () => ({ ...NO_TRACING, enabled: true }) });
    },
  };
  return loader;
}

test('without an OTLP endpoint the SDK is not even imported', async () => {
  const loader = countingLoader();
  const tracing = await startTracing(tracingSettingsFrom({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), deps, loader.load);
  assert.equal(tracing, NO_TRACING);
  assert.equal(loader.calls, 0);
  assert.equal(await startTracing(undefined, deps, loader.load), NO_TRACING);
  assert.equal(loader.calls, 0);
});

test('an OTLP endpoint (general or for traces) turns it on, unless OpenTelemetry is told to stay off', async () => {
  for (const env of [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }]) {
    const loader = countingLoader();
    assert.equal((await startTracing(tracingSettingsFrom(env), deps, loader.load)).enabled, true);
    assert.equal(loader.calls, 1);
  }
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
  assert.equal(tracingSettingsFrom({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).enabled, false);
  assert.equal(tracingSettingsFrom({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).enabled, false);
});

test('off, the store is handed on as it is; on, queued payloads carry the active context', async () => {
  const store = { enqueue: async () => true } as unknown as Store;
  assert.equal(stampingTraceContext(store, NO_TRACING), store);
  const queued: unknown[] = [];
  const recording = { enqueue: async (entry: { payload: unknown }) => Boolean(queued.push(entry.payload)) } as unknown as Store;
  const carrier = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
  const stamped = stampingTraceContext(recording, { ...NO_TRACING, enabled: true, currentCarrier: () => carrier });
  await stamped.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: { version: 2, text: 'hi' } });
  assert.deepEqual(queued, [{ version: 2, text: 'hi', traceContext: carrier }]);
  assert.deepEqual(traceContextOf(queued[0]), carrier);
  assert.equal(traceContextOf({ traceContext: { traceparent: 7 } }), undefined);
  assert.equal(withTraceContext('not an object', carrier), 'not an object');
});

test("a Twilio call's span names its resource path, never the ids in it", () => {
  assert.deepEqual(urlTemplateOf('https://conversations.twilio.com/v1/Conversations/CH0123456789abcdef0123456789abcdef/Participants?Identity=olive'), {
    host: 'conversations.twilio.com',
    template: '/v1/Conversations/{id}/Participants',
  });
  assert.deepEqual(urlTemplateOf('http://127.0.0.1:9/flex-api/v1/Interactions/KD0123456789abcdef0123456789abcdef/Channels/UO1/Participants'), {
    host: '127.0.0.1',
    template: '/flex-api/v1/Interactions/{id}/Channels/{id}/Participants',
  });
  assert.equal(urlTemplateOf('https://chat.twilio.com/v2/Services/IS1/Users/customer-olive-4711').template, '/v2/Services/{id}/Users/{id}');
});

test('a failure is recorded as the allow-list keeps it, never the error whole', () => {
  const recorded: unknown[] = [];
  const span = {
    recordException: (exception: unknown) => void recorded.push(exception),
    setStatus(status: unknown) {
      recorded.push(status);
      return this as unknown as Span;
    },
  };
  const error = Object.assign(new Error('could not post "my parcel number is 99-1234-5678"'), {
    code: 'ECONNRESET',
    config: { headers: { Authorization: 'Basic c2VjcmV0' }, data: 'Body=my+parcel' },
  });
  recordFailure(span, error);
  const exported = JSON.stringify(recorded);
  assert.deepEqual(Object.keys(recorded[0] as object).sort(), ['code', 'message', 'name']);
  for (const secret of ['99-1234-5678', 'Basic', 'parcel']) assert.ok(!exported.includes(secret), `no ${secret}`);
  assert.deepEqual(recorded[0], { name: 'Error', message: safeErrorMessage(error), code: 'ECONNRESET' }, "the logs' redacted message");
});

test('SQLite keeps the context with the entry, through a claim and a dead letter put back', async () => {
  const store = openSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'cc-trace-')), 'store.sqlite') });
  try {
    const carrier = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=1' };
    const stamped = stampingTraceContext(store, { ...NO_TRACING, enabled: true, currentCarrier: () => carrier });
    await stamped.enqueue({ queue: 'to-flex', orderingKey: 'k', payload: { version: 2 } });
    const [claimed] = await store.claimDue('to-flex', Date.now(), 1, 60_000);
    assert.deepEqual(traceContextOf(claimed!.payload), carrier);
    await store.markFailed(claimed!.id, 'parked for the test');
    await store.retryDeadLetter(claimed!.id);
    const [again] = await store.claimDue('to-flex', Date.now(), 1, 60_000);
    assert.deepEqual(traceContextOf(again!.payload), carrier);
  } finally {
    await store.close();
  }
});

test('an entry queued and claimed in one write carries the context too, in the claimed entry and in the store', async () => {
  const store = openSqliteStore({ path: ':memory:' });
  try {
    const carrier = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const stamped = stampingTraceContext(store, { ...NO_TRACING, enabled: true, currentCarrier: () => carrier });
    const { claimed } = await stamped.enqueueAndClaim({ queue: 'to-channel', orderingKey: 'k', payload: { version: 2 } }, [], Date.now(), 1);
    assert.deepEqual(traceContextOf(claimed!.payload), carrier);
    const [again] = await store.claimDue('to-channel', Date.now() + 1, 1, 60_000);
    assert.deepEqual(traceContextOf(again!.payload), carrier);
  } finally {
    await store.close();
  }
});
