/**
 * The load generator's requests, built before a latency phase and sent as they fall due. The
 * generator shares its core with the stand-in and Redis: what it spends per request
 * (serialising, signing, the `twilio` library's request building) is time they wait for that
 * core, and would show up as latency the middleware did not add.
 */
import { Agent, request as httpRequest, type RequestOptions } from 'node:http';
import { signInboundRequest } from '@custom-channels/middleware';

export interface PreparedRequest {
  options: RequestOptions;
  body: string;
  /** Names the far end in an error: a reset connection says which process dropped it. */
  target: string;
  /** Sent again after a reset connection, as a platform redelivers a webhook: the middleware dedupes it by id. */
  resendOnReset?: boolean;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
const RESENDS = 3;
let resent = 0;

/** Requests sent again after a reset connection, since the last call: the report prints them. */
export function takeResentCount(): number {
  const count = resent;
  resent = 0;
  return count;
}

export async function send(prepared: PreparedRequest): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await sendOnce(prepared);
    } catch (error) {
      const reset = (error as NodeJS.ErrnoException).code === 'ECONNRESET';
      if (!reset || !prepared.resendOnReset || attempt >= RESENDS) {
        const { options, target } = prepared;
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new Error(`POST ${options.host}:${options.port} (${target}): ${reason}`, { cause: error });
      }
      resent += 1;
    }
  }
}

function sendOnce({ options, body }: PreparedRequest): Promise<number> {
  return new Promise((done, reject) => {
    const request = httpRequest({ ...options, agent }, (response) => {
      response.resume();
      response.on('end', () => done(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end(body);
  });
}

export function closeConnections(): void {
  agent.destroy();
}

function postTo(url: string, path: string, body: string, headers: Record<string, string>, target: string): PreparedRequest {
  const { hostname, port } = new URL(url);
  return {
    options: { method: 'POST', host: hostname, port, path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
    body,
    target,
  };
}

/** A customer's message to a middleware instance, signed as the channel signs it. */
export function inboundMessage(
  instanceUrl: string,
  secret: string,
  message: { id: string; from: { id: string; name: string }; text: string },
): PreparedRequest {
  const body = JSON.stringify(message);
  const headers = { 'content-type': 'application/json', ...signInboundRequest(secret, body) };
  return { ...postTo(instanceUrl, '/inbound/chatapp', body, headers, 'a middleware instance'), resendOnReset: true };
}

/** An agent's reply posted to a conversation over the Conversations REST API, as the `twilio` library posts it. */
export function agentReply(standIn: { url: string; accountSid: string; authToken: string }, conversationSid: string, text: string): PreparedRequest {
  const body = new URLSearchParams({ Author: 'agent@example.com', Body: text }).toString();
  const credentials = Buffer.from(`${standIn.accountSid}:${standIn.authToken}`).toString('base64');
  return postTo(
    standIn.url,
    `/conversations/v1/Conversations/${conversationSid}/Messages`,
    body,
    { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${credentials}` },
    'the Twilio stand-in',
  );
}
