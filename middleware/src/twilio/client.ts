import twilio from 'twilio';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseRetryAfter } from '../outbox/failure.js';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { DEFAULT_THROTTLE_POLICY, isThrottled, throttleDelayMs, type ThrottlePolicy } from './throttling.js';
import { KeepAliveTwilioTransport } from './keep-alive-transport.js';

/** The Twilio products the kit talks to, by the first label of their public host name. */
export const TWILIO_PRODUCT_HOSTS = {
  conversations: 'conversations',
  flexApi: 'flex-api',
  chat: 'chat',
  taskrouter: 'taskrouter',
  studio: 'studio',
  content: 'content',
} as const;

export type TwilioClient = ReturnType<typeof twilio>;

export interface TwilioCredentials {
  accountSid: string;
  /** Either the auth token, or an API key SID with its secret. */
  authToken?: string;
  apiKeySid?: string;
  apiKeySecret?: string;
}

export interface TwilioClientOptions extends TwilioCredentials {
  /**
   * One origin that replaces every Twilio host (the offline stand-in). Product
   * `https://conversations.twilio.com/v1/...` becomes `${apiBaseUrl}/conversations/v1/...`.
   * Unset in production.
   */
  apiBaseUrl?: string;
  timeoutMs?: number;
  /** How throttled requests are sent again in place; DEFAULT_THROTTLE_POLICY when omitted. */
  throttle?: ThrottlePolicy;
  /**
   * 'keep-alive' (the default) carries requests on node's keep-alive agents; 'library' on the
   * library's own axios client (the benchmark's reference). The library's client is used anyway
   * when HTTP_PROXY or TWILIO_CA_BUNDLE is set, which only it reads.
   */
  transport?: 'keep-alive' | 'library';
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Builds the official `twilio` client, optionally redirected to the offline stand-in. */
export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  const { accountSid, authToken, apiKeySid, apiKeySecret, apiBaseUrl, timeoutMs, throttle = DEFAULT_THROTTLE_POLICY } = options;
  const httpClient = keepsAlive(options) ? transportFor(timeoutMs ?? DEFAULT_TIMEOUT_MS) : undefined;
  const client =
    apiKeySid && apiKeySecret
      ? twilio(apiKeySid, apiKeySecret, { accountSid, timeout: timeoutMs, httpClient })
      : twilio(accountSid, authToken, { timeout: timeoutMs, httpClient });
  if (apiBaseUrl) pointClientAt(client, apiBaseUrl);
  retryThrottledAndKeepRetryAfter(client, throttle);
  return client;
}

const keepsAlive = (options: TwilioClientOptions) =>
  (options.transport ?? 'keep-alive') === 'keep-alive' && !process.env.HTTP_PROXY && process.env.TWILIO_CA_BUNDLE === undefined;

// The library calls nothing of its client but request(), whose contract the transport keeps.
const transportFor = (timeoutMs: number) => new KeepAliveTwilioTransport(timeoutMs) as unknown as RequestClient;

/**
 * Sends a throttled request again in place, as long as the policy allows (see throttling.ts).
 * Past that, the library's error would drop the response headers, and with them Twilio's
 * Retry-After on a 429 (or 503): this raises the same RestException the library would, plus
 * `retryAfterMs`, so the outbox waits at least as long as Twilio asks.
 */
function retryThrottledAndKeepRetryAfter(client: TwilioClient, throttle: ThrottlePolicy): void {
  const send = client.request.bind(client);
  client.request = async (opts) => {
    for (let retry = 0; ; retry += 1) {
      const response = await send(opts);
      const throttled = isThrottled(response.statusCode, response.body);
      if (!throttled && response.statusCode !== 503) return response;
      const retryAfterMs = retryAfterOf(response.headers);
      const delayMs = throttled ? throttleDelayMs(throttle, retry, retryAfterMs) : undefined;
      if (delayMs === undefined) {
        if (retryAfterMs !== undefined) throw Object.assign(new twilio.RestException(response), { retryAfterMs });
        return response;
      }
      await sleep(delayMs);
    }
  };
}

function retryAfterOf(headers: unknown): number | undefined {
  const all = headers as { get?: (name: string) => unknown; [name: string]: unknown } | undefined;
  const value = all?.['retry-after'] ?? all?.['Retry-After'] ?? all?.get?.('retry-after');
  return parseRetryAfter(typeof value === 'string' || typeof value === 'number' ? String(value) : null);
}

function pointClientAt(client: TwilioClient, apiBaseUrl: string): void {
  const origin = apiBaseUrl.replace(/\/+$/, '');
  // Region and edge settings rewrite host names, even 127.0.0.1; they mean nothing for the stand-in.
  client.region = undefined;
  client.edge = undefined;
  for (const [domain, host] of Object.entries(TWILIO_PRODUCT_HOSTS)) {
    client[domain as keyof typeof TWILIO_PRODUCT_HOSTS].baseUrl = `${origin}/${host}`;
  }
}
