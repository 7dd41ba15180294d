/**
 * Preloaded into a middleware process by the benchmark, transpiled to plain JavaScript
 * (`node --import <tmp>/probe.mjs build/src/main.js`); never loaded otherwise. It measures, inside the
 * middleware's own process, the latency the middleware adds:
 *
 *  - inbound: node's `http.server.request.start` (the request's headers parsed) to the
 *    middleware's `message-posting` probe (the twilio library is called to post it);
 *  - outbound: `http.server.request.start` of the Twilio webhook to the `delivery-sending`
 *    probe (the webhook adapter sends its POST).
 *
 * The middleware's probes (src/observability/probes.ts) name the requests. It answers
 * `{ type: 'count' }` (messages posted and deliveries sent so far: polled often, so it carries nothing else),
 * `{ type: 'report' }` and `{ type: 'reset' }` over the IPC channel.
 */
import { subscribe } from 'node:diagnostics_channel';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { ClientRequest, IncomingMessage } from 'node:http';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const receivedAt = new WeakMap<IncomingMessage, number>();
const inboundStart = new Map<string, number>();
const deliveryStart = new Map<string, number>();
let inboundLatencies: number[] = [];
let deliveryLatencies: number[] = [];
let messagesPosted = 0;
let deliveriesSent = 0;
let unmatched = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let gcPauseMax = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauseMax = Math.max(gcPauseMax, entry.duration);
}).observe({ entryTypes: ['gc'] });

subscribe('http.server.request.start', (message) => {
  receivedAt.set((message as { request: IncomingMessage }).request, now());
});

subscribe('custom-channels:inbound-received', (message) => {
  const { request, externalId } = message as { request: IncomingMessage; externalId: string };
  const at = receivedAt.get(request);
  if (at !== undefined) inboundStart.set(externalId, at);
});

subscribe('custom-channels:webhook-received', (message) => {
  const { request, messageSid } = message as { request: IncomingMessage; messageSid: string };
  const at = receivedAt.get(request);
  // Most webhooks echo the customer's own messages and lead to no delivery: keep the map bounded.
  if (deliveryStart.size > 10_000) deliveryStart.clear();
  if (at !== undefined) deliveryStart.set(messageSid, at);
});

subscribe('custom-channels:message-posting', (message) => {
  const { externalId } = message as { externalId: string };
  const started = inboundStart.get(externalId);
  if (started === undefined) return;
  inboundStart.delete(externalId);
  inboundLatencies.push(now() - started);
});

subscribe('custom-channels:delivery-sending', (message) => {
  deliveriesSent += 1;
  const { eventId } = message as { eventId: string };
  const started = deliveryStart.get(eventId);
  if (started === undefined) {
    unmatched += 1;
    return;
  }
  deliveryStart.delete(eventId);
  deliveryLatencies.push(now() - started);
});

// Messages the stand-in accepted (201), counted on node's http client channel and on undici's
// (the middleware's Twilio transport).
const isMessagePost = (method: string, path: string) => method === 'POST' && /\/Messages$/.test(path);
subscribe('http.client.request.start', (message) => {
  const request = (message as { request: ClientRequest }).request;
  if (!isMessagePost(request.method, request.path)) return;
  request.once('response', (response: IncomingMessage) => {
    if (response.statusCode === 201) messagesPosted += 1;
  });
});
subscribe('undici:request:headers', (message) => {
  const { request, response } = message as { request: { method: string; path: string }; response: { statusCode: number } };
  if (isMessagePost(request.method, request.path) && response.statusCode === 201) messagesPosted += 1;
});

process.on('message', (message: { type?: string }) => {
  if (message.type === 'count') {
    process.send?.({ type: 'count', messagesPosted, deliveriesSent });
  } else if (message.type === 'report') {
    process.send?.({
      type: 'report',
      inboundLatencies,
      deliveryLatencies,
      messagesPosted,
      unmatched,
      maxRssKb: process.resourceUsage().maxRSS,
      memory: process.memoryUsage(),
      loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6, gcPauseMax },
    });
  } else if (message.type === 'reset') {
    inboundLatencies = [];
    deliveryLatencies = [];
    inboundStart.clear();
    deliveryStart.clear();
    unmatched = 0;
    loopDelay.reset();
    gcPauseMax = 0;
    process.send?.({ type: 'reset-done' });
  }
});
