import twilio from 'twilio';
import { parseRetryAfter } from '../shared/retry-after.js';

/** The Twilio products the kit talks to, by the first label of their public host name. */
export const TWILIO_PRODUCT_HOSTS = {
  conversations: 'conversations',
  flexApi: 'flex-api',
  chat: 'chat',
  taskrouter: 'taskrouter',
  studio: 'studio',
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
}

/** Builds the official `twilio` client, optionally redirected to the offline stand-in. */
export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  const { accountSid, authToken, apiKeySid, apiKeySecret, apiBaseUrl, timeoutMs } = options;
  const client =
    apiKeySid && apiKeySecret ? twilio(apiKeySid, apiKeySecret, { accountSid, timeout: timeoutMs }) : twilio(accountSid, authToken, { timeout: timeoutMs });
  if (apiBaseUrl) pointClientAt(client, apiBaseUrl);
  keepRetryAfter(client);
  return client;
}

/**
 * The library's errors drop the response headers, and with them Twilio's Retry-After on a
 * 429 (or 503). This raises the same RestException the library would, plus `retryAfterMs`,
 * so the outbox waits at least as long as Twilio asks.
 */
function keepRetryAfter(client: TwilioClient): void {
  const send = client.request.bind(client);
  client.request = async (opts) => {
    const response = await send(opts);
    if (response.statusCode === 429 || response.statusCode === 503) {
      const headers = response.headers as { get?: (name: string) => unknown; [name: string]: unknown } | undefined;
      const value = headers?.['retry-after'] ?? headers?.['Retry-After'] ?? headers?.get?.('retry-after');
      const retryAfterMs = parseRetryAfter(typeof value === 'string' || typeof value === 'number' ? String(value) : null);
      if (retryAfterMs !== undefined) throw Object.assign(new twilio.RestException(response), { retryAfterMs });
    }
    return response;
  };
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
