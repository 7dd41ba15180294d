import type { ServerOptions } from 'node:http';
import type { HttpTimeouts } from '../config/config.js';

/**
 * A client that sends its request slowly (or not at all) holds a connection and its memory:
 * these bound how long. The request timeout is generous for a large upload on a slow link;
 * the keep-alive one outlasts the idle timeout of common load balancers (60 s), so they never
 * reuse a connection this side has just closed.
 */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 60_000, idleMs: 60_000, keepAliveMs: 72_000 };

/**
 * Fastify's and Node's settings for these timeouts. Node checks the header and request
 * timeouts every `connectionsCheckingInterval` (30 s by default): a quarter of the shorter
 * one, at most a second, keeps a timeout from being overrun by much. A WebSocket is not cut
 * by them: once upgraded, its connection is no longer an HTTP request's.
 */
export function serverTimeoutOptions(timeouts: HttpTimeouts): {
  requestTimeout: number;
  connectionTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
} {
  return {
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(Math.min(timeouts.headersMs, timeouts.requestMs) / 4)),
    },
  };
}
