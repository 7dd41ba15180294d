/** Whether traces are on, and the SDK loaded only then (the Tracing contract: trace-context.ts). */
import type { Tracing, TracingDeps } from './trace-context.js';

export type { Tracing } from './trace-context.js';

/** Tracing off: every method does nothing, or just runs the work it is given. */
export const NO_TRACING: Tracing = {
  enabled: false,
  traceRequests: () => undefined,
  traceTwilioCalls: () => undefined,
  currentCarrier: () => undefined,
  traceAttempt: (_queue, _item, attempt) => attempt(),
  shutdown: async () => undefined,
};

/** OTEL_*: on when an OTLP endpoint is set, unless OpenTelemetry's own switches turn it off. */
export interface TracingSettings {
  enabled: boolean;
}

export function tracingSettingsFrom(env: Record<string, string | undefined>): TracingSettings {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none';
  return { enabled: Boolean(endpoint) && !disabled };
}

/** What the lazily imported module provides. */
export type TracingModule = { startOtelTracing(deps: TracingDeps): Tracing };

/** The SDK is imported only when tracing is on: off, it costs neither memory nor startup time. */
export async function startTracing(
  settings: TracingSettings | undefined,
  deps: TracingDeps,
  load: () => Promise<TracingModule> = () => import('./otel-tracing.js'),
): Promise<Tracing> {
  if (!settings?.enabled) return NO_TRACING;
  return (await load()).startOtelTracing(deps);
}
