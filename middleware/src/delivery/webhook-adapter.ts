import type { Readable } from 'node:stream';
import { probes } from '../observability/probes.js';
import { failureOfStatus, parseRetryAfter, permanent, transient } from '../outbox/failure.js';
import { LEGACY_SIGNATURE_HEADER, signBody, signInboundRequest } from '../security/hub-signature.js';
import { createKeepAliveHttp, drain, networkCode } from '../shared/keep-alive-http.js';
import type { ChannelAdapter, DeliveryResult } from './channel-adapter.js';

export interface WebhookAdapterOptions {
  timeoutMs?: number;
}

/**
 * The `webhook` adapter: a JSON POST to the channel's delivery URL, signed like inbound requests
 * (X-Channel-Timestamp and X-Channel-Signature), and with the legacy X-Hub-Signature-256 too, so
 * receivers that check only that one keep working.
 * It posts over node's keep-alive agents, as the Twilio transport does: per delivery it costs a
 * fraction of axios's CPU. It follows no redirect: a redirect is an answer, not a place to
 * re-send a signed body to.
 */
export function createWebhookAdapter(options: WebhookAdapterOptions = {}): ChannelAdapter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const http = createKeepAliveHttp(timeoutMs);
  return {
    kind: 'webhook',
    async deliver(channel, event): Promise<DeliveryResult> {
      if (!channel.deliveryUrl || !channel.secret) {
        return permanent(`channel ${channel.channelType} has no delivery URL or secret`);
      }
      const body = JSON.stringify(event);
      // Signed at each attempt: a retried delivery carries a fresh timestamp.
      const signature = { ...signInboundRequest(channel.secret, body), [LEGACY_SIGNATURE_HEADER]: signBody(channel.secret, body) };
      if (probes.deliverySending.hasSubscribers) probes.deliverySending.publish({ eventId: event.id });
      let response;
      try {
        response = await http.send({
          url: channel.deliveryUrl,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...signature },
          body,
        });
      } catch (error) {
        return transient(`delivery URL unreachable: ${networkCode(error) ?? (error as { name?: string }).name ?? 'error'}`);
      }
      const status = response.statusCode;
      const refusal = status >= 400 && status < 500 ? await refusalCode(response.body) : undefined;
      // What was not read is drained (up to 128 KB) so the connection goes back to the pool; a
      // receiver that sends more, or never stops, loses its connection instead.
      drain(response.body, DRAINED_BYTES);
      if (status >= 200 && status < 300) return { ok: true };
      const retryAfter = response.headers['retry-after'];
      const reason = `delivery URL answered ${status}${refusal ? ` (${refusal})` : ''}`;
      return failureOfStatus(status, reason, parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : null));
    },
  };
}

/** The most of an unread answer's body taken in to keep its connection. */
const DRAINED_BYTES = 128 * 1024;
/** The most of a refusal's body read for its code, and how long it may take to arrive. */
const REFUSAL_BODY_BYTES = 4096;
const REFUSAL_BODY_MS = 2000;

/**
 * A channel refusing a delivery may say why: `{"error":{"code":"customer_unreachable"}}` (the
 * shape the README documents). Only a short snake_case code is kept: it is logged and shown to
 * the agent, so nothing the channel wrote in free text.
 */
async function refusalCode(body: Readable): Promise<string | undefined> {
  let text = '';
  // A body that stalls must not hold the delivery up: the code is optional.
  const stall = setTimeout(() => body.destroy(), REFUSAL_BODY_MS);
  try {
    for await (const chunk of body) {
      text += (chunk as Buffer).toString('utf8');
      if (text.length >= REFUSAL_BODY_BYTES) break;
    }
    const code = (JSON.parse(text.slice(0, REFUSAL_BODY_BYTES)) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(stall);
  }
}
