/**
 * How the attack signs every request it sends to `POST /inbound/:channelType`: the one place
 * to change when the channels' signing scheme changes.
 */
import { signInboundRequest } from '@custom-channels/middleware';

/** A signed inbound request exactly as it went out, so it can be sent again byte for byte. */
export interface CapturedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function signedInboundRequest(middlewareUrl: string, channelType: string, secret: string, body: string, nowSeconds?: number): CapturedRequest {
  return {
    url: `${middlewareUrl}/inbound/${channelType}`,
    headers: { 'content-type': 'application/json', ...signInboundRequest(secret, body, nowSeconds) },
    body,
  };
}

/** Sends a captured request; its status. */
export async function sendRequest(request: CapturedRequest): Promise<number> {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  await response.arrayBuffer();
  return response.status;
}
