/**
 * How the attack signs every request it sends to `POST /inbound/:channelType`: the one place
 * to change when the channels' signing scheme changes.
 */
import { signBody } from '@custom-channels/middleware/security/hub-signature';

export interface SignedHeaders {
  headers: Record<string, string>;
  /** Whether the signature covers a time: false means a captured request never goes stale. */
  timestamped: boolean;
}

/** The signature headers of `body` as a channel sends it at `nowSeconds` (Unix time). */
export function signInbound(secret: string, body: string, _nowSeconds: number = Math.floor(Date.now() / 1000)): SignedHeaders {
  return { headers: { 'x-hub-signature-256': signBody(secret, body) }, timestamped: false };
}

/** A signed inbound request exactly as it went out, so it can be sent again byte for byte. */
export interface CapturedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function signedInboundRequest(middlewareUrl: string, channelType: string, secret: string, body: string, nowSeconds?: number): CapturedRequest {
  return {
    url: `${middlewareUrl}/inbound/${channelType}`,
    headers: { 'content-type': 'application/json', ...signInbound(secret, body, nowSeconds).headers },
    body,
  };
}

/** Sends a captured request; its status. */
export async function sendRequest(request: CapturedRequest): Promise<number> {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  await response.arrayBuffer();
  return response.status;
}
