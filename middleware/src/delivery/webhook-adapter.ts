import axios from 'axios';
import { probes } from '../observability/probes.js';
import { failureOfStatus, parseRetryAfter, permanent, transient } from '../outbox/failure.js';
import { LEGACY_SIGNATURE_HEADER, signBody, signInboundRequest } from '../security/hub-signature.js';
import type { ChannelAdapter, DeliveryResult } from './channel-adapter.js';

export interface WebhookAdapterOptions {
  timeoutMs?: number;
}

/**
 * The `webhook` adapter: a JSON POST to the channel's delivery URL, signed like inbound requests
 * (X-Channel-Timestamp and X-Channel-Signature), and with the legacy X-Hub-Signature-256 too, so
 * receivers that check only that one keep working.
 * It uses axios, which the twilio library loads anyway, rather than node's fetch: fetch's
 * bundled undici adds about 30 MB to the process on first use.
 */
export function createWebhookAdapter(options: WebhookAdapterOptions = {}): ChannelAdapter {
  const timeoutMs = options.timeoutMs ?? 10_000;
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
        response = await axios.post(channel.deliveryUrl, body, {
          headers: { 'content-type': 'application/json', ...signature },
          timeout: timeoutMs,
          // A redirect is an answer, not a place to re-send a signed body to. The body is drained unread.
          maxRedirects: 0,
          responseType: 'stream',
          validateStatus: () => true,
        });
      } catch (error) {
        const { code, name } = error as { code?: string; name?: string };
        return transient(`delivery URL unreachable: ${code ?? name ?? 'error'}`);
      }
      (response.data as { resume(): void }).resume();
      const { status } = response;
      if (status >= 200 && status < 300) return { ok: true };
      const retryAfter = response.headers['retry-after'];
      return failureOfStatus(status, `delivery URL answered ${status}`, parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : null));
    },
  };
}
