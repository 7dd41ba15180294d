import type { OutboxEntry, Store } from '../store/store.js';
import { withTraceContext, type Tracing } from './trace-context.js';

/**
 * The store, with every entry queued through it carrying the trace context of the span active
 * then: whichever instance takes the entry continues that trace. Inside the payload, so every
 * engine keeps it as it is, and a dead letter put back keeps its trace. The store itself when
 * tracing is off.
 */
export function stampingTraceContext(store: Store, tracing: Tracing): Store {
  if (!tracing.enabled) return store;
  const stamp = (entry: OutboxEntry): OutboxEntry => ({ ...entry, payload: withTraceContext(entry.payload, tracing.currentCarrier()) });
  const enqueue: Store['enqueue'] = (entry, dedupeKeys, options) => store.enqueue(stamp(entry), dedupeKeys, options);
  const enqueueAndClaim: Store['enqueueAndClaim'] = (entry, dedupeKeys, now, leaseMs, options) =>
    store.enqueueAndClaim(stamp(entry), dedupeKeys, now, leaseMs, options);
  const closeSession: Store['closeSession'] = (sessionId, closedAt, followUp) => store.closeSession(sessionId, closedAt, followUp && stamp(followUp));
  return new Proxy(store, {
    get(target, property) {
      if (property === 'enqueue') return enqueue;
      if (property === 'enqueueAndClaim') return enqueueAndClaim;
      if (property === 'closeSession') return closeSession;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
