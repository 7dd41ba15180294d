import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type NodeTracerConfig } from '@opentelemetry/sdk-trace-node';
import type { FastifyRequest } from 'fastify';
import { redactMessage, serializeError } from '@custom-channels/logging';
import { TWILIO_PRODUCT_HOSTS } from '../twilio/client.js';
import { traceContextOf, type TraceCarrier, type Tracing, type TracingDeps } from './trace-context.js';

const SERVICE_NAME = 'custom-channels-middleware';
const TWILIO_PRODUCTS: ReadonlySet<string> = new Set(Object.values(TWILIO_PRODUCT_HOSTS));
/** Probes and scrapes: several a minute per instance, none of them part of a message's way. */
const UNTRACED_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The OpenTelemetry SDK behind `Tracing`, imported only when tracing is on. The exporter, the
 * batch processor, the sampler and the resource read the standard OTEL_* variables themselves.
 * Attributes name routes, queues and outcomes; ids are written as log hashes, and errors pass
 * through the logs' allow-list serializer.
 */
export function startOtelTracing(deps: TracingDeps): Tracing {
  const { hashForLog, logger } = deps;
  // The SDK's own complaints (an export refused, a bad OTEL_* value), as warnings without their details.
  const report = (message: string) => logger.warn({ otel: redactMessage(message) }, 'OpenTelemetry problem');
  diag.setLogger(
    {
      error: report,
      warn: report,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  const protocol = process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol && protocol !== 'http/json')
    logger.warn({ protocol }, 'traces are exported as OTLP/HTTP with JSON bodies (http/json); the protocol set is ignored');
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': SERVICE_NAME }))
    .merge(detectResources({ detectors: [envDetector] }));
  // The casts: where another package of the workspace pins an older copy of the API, the SDK's
  // types come from it; at run time both copies share the globals registered below.
  const provider = new NodeTracerProvider({
    resource: resource as unknown as NodeTracerConfig['resource'],
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // Registered through this module's copy of the API (the SDK's `register()` would use its own,
  // which a newer copy does not read): the async-local context and the W3C propagator the
  // spans of one message are linked by.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const tracer = provider.getTracer(SERVICE_NAME) as unknown as Tracer;
  const requestSpans = new WeakMap<FastifyRequest, Span>();

  return {
    enabled: true,

    traceRequests(http) {
      http.addHook('onRequest', (request, _reply, done) => {
        const route = request.routeOptions.url ?? 'unknown route';
        // A socket outlives its upgrade request: its messages start their traces at the outbox.
        if (request.headers.upgrade || UNTRACED_ROUTES.has(route)) return done();
        const parent = propagation.extract(ROOT_CONTEXT, request.headers);
        const span = tracer.startSpan(
          `${request.method} ${route}`,
          { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route } },
          parent,
        );
        requestSpans.set(request, span);
        // The handler and whatever it queues run with the request's span active.
        context.with(trace.setSpan(parent, span), done);
      });
      http.addHook('preHandler', (request, _reply, done) => {
        const span = requestSpans.get(request);
        if (!span) return done();
        context.with(trace.setSpan(context.active(), span), done);
      });
      const end = (request: FastifyRequest, statusCode: number | undefined) => {
        const span = requestSpans.get(request);
        if (!span) return;
        requestSpans.delete(request);
        if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
        if (statusCode === undefined || statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      };
      http.addHook('onResponse', (request, reply, done) => {
        end(request, reply.statusCode);
        done();
      });
      http.addHook('onRequestAbort', (request, done) => {
        end(request, undefined);
        done();
      });
    },

    traceTwilioCalls(client) {
      const send = client.request.bind(client);
      client.request = (opts) => {
        const method = String(opts.method ?? 'GET').toUpperCase();
        const { host, template } = urlTemplateOf(String(opts.uri));
        return tracer.startActiveSpan(
          `twilio ${method} ${template}`,
          { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'server.address': host, 'url.template': template } },
          async (span) => {
            try {
              const response = await send(opts);
              span.setAttribute('http.response.status_code', response.statusCode);
              if (response.statusCode >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
              return response;
            } catch (error) {
              recordFailure(span, error);
              throw error;
            } finally {
              span.end();
            }
          },
        );
      };
    },

    currentCarrier() {
      const carrier: Partial<TraceCarrier> = {};
      propagation.inject(context.active(), carrier);
      return carrier.traceparent ? (carrier as TraceCarrier) : undefined;
    },

    traceAttempt(queue, item, attempt) {
      const carrier = traceContextOf(item.payload);
      const parent = carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
      const attributes: Attributes = {
        'outbox.queue': queue,
        'outbox.entry_id': item.id,
        'outbox.attempt': item.attempts,
        'outbox.ordering_key_hash': hashForLog(item.orderingKey),
      };
      return tracer.startActiveSpan(`outbox ${queue}`, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
        try {
          const outcome = await attempt();
          span.setAttribute('outbox.outcome', outcome.kind);
          if (outcome.kind !== 'done') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.reason });
          return outcome;
        } catch (error) {
          recordFailure(span, error);
          throw error;
        } finally {
          span.end();
        }
      });
    },

    async shutdown() {
      // A collector that does not answer must not turn a clean stop into a failed one.
      await provider.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'the last spans could not be exported'));
    },
  };
}

/** An error as the logs' allow-list keeps it: its type, redacted message and code, never the error whole. */
export function recordFailure(span: Pick<Span, 'recordException' | 'setStatus'>, error: unknown): void {
  const safe = serializeError(error);
  span.recordException({ name: safe.type, message: safe.message, ...(safe.code !== undefined ? { code: safe.code } : {}) });
  span.setStatus({ code: SpanStatusCode.ERROR, message: safe.message });
}

/**
 * The call's host and path with every id left out: resource names (`Conversations`,
 * `Messages`), versions and product names stay; SIDs, identities and any other segment
 * become `{id}`. The query string is dropped.
 */
export function urlTemplateOf(uri: string): { host: string; template: string } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { host: 'unknown', template: 'unknown' };
  }
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => (/^v\d+$/.test(segment) || /^(?:[A-Z][a-z]+)+$/.test(segment) || TWILIO_PRODUCTS.has(segment) ? segment : '{id}'));
  return { host: url.hostname, template: `/${segments.join('/')}` };
}
