import type { FastifyInstance } from 'fastify';
import type { HandlingOutcome } from '../outbox/outbox-worker.js';
import type { OutboxItem, OutboxQueue } from '../store/store.js';
import type { TwilioClient } from '../twilio/client.js';
import type { LogHasher } from './log-hash.js';
import type { Logger } from './logger.js';

/** The W3C trace context of the span that queued an outbox entry, kept in the entry's payload. */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

/** The payload field the carrier is kept under; payload readers ignore fields they do not know. */
export const TRACE_CONTEXT_FIELD = 'traceContext';

/**
 * Traces of messages, one per message across instances (see otel-tracing.ts). Off unless
 * an OTLP endpoint is configured: then every method is a no-op and nothing of OpenTelemetry
 * is loaded.
 */
export interface Tracing {
  readonly enabled: boolean;
  /** A span per HTTP request, active while its handler runs. */
  traceRequests(http: FastifyInstance): void;
  /** A span per Twilio API call, child of whatever span is active. */
  traceTwilioCalls(client: TwilioClient): void;
  /** The context of the active span, to store with an entry queued now. */
  currentCarrier(): TraceCarrier | undefined;
  /** Runs an attempt at an entry in a span that continues the trace its carrier names. */
  traceAttempt(queue: OutboxQueue, item: OutboxItem, attempt: () => Promise<HandlingOutcome>): Promise<HandlingOutcome>;
  /** Exports the spans still buffered and stops the exporter. */
  shutdown(): Promise<void>;
}

export interface TracingDeps {
  /** Writes the ids that spans carry, as logs write them. */
  hashForLog: LogHasher;
  /** Where the SDK's own problems (an export refused) are reported. */
  logger: Logger;
}

/** The payload with the carrier of the active span, when there is one. */
export function withTraceContext(payload: unknown, carrier: TraceCarrier | undefined): unknown {
  if (!carrier || typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  return { ...payload, [TRACE_CONTEXT_FIELD]: carrier };
}

/** The carrier an entry's payload holds, if it holds a well-formed one. */
export function traceContextOf(payload: unknown): TraceCarrier | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const carrier = (payload as Record<string, unknown>)[TRACE_CONTEXT_FIELD];
  if (typeof carrier !== 'object' || carrier === null) return undefined;
  const { traceparent, tracestate } = carrier as Record<string, unknown>;
  if (typeof traceparent !== 'string') return undefined;
  return typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
}
