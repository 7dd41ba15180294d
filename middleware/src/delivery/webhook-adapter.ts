import { probes } from '../observability/probes.js';
import { signBody } from '../security/hub-signature.js';
import type { ChannelAdapter, DeliveryResult } from './channel-adapter.js';

export interface WebhookAdapterOptions {
  timeoutMs?: number;
}

/** The `webhook` adapter: a JSON POST to the channel's delivery URL, signed like inbound requests. */
export function createWebhookAdapter(options: WebhookAdapterOptions = {}): ChannelAdapter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    kind: 'webhook',
    async deliver(channel, event): Promise<DeliveryResult> {
      if (!channel.deliveryUrl || !channel.secret) {
        return { ok: false, retryable: false, reason: `channel ${channel.channelType} has no delivery URL or secret` };
      }
      const body = JSON.stringify(event);
      const signature = signBody(channel.secret, body);
      if (probes.deliverySending.hasSubscribers) probes.deliverySending.publish({ eventId: event.id });
      let response: Response;
      try {
        response = await fetch(channel.deliveryUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        return { ok: false, retryable: true, reason: `delivery URL unreachable: ${cause}` };
      }
      await response.body?.cancel();
      if (response.ok) return { ok: true };
      return {
        ok: false,
        retryable: response.status === 408 || response.status === 429 || response.status >= 500,
        reason: `delivery URL answered ${response.status}`,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      };
    },
  };
}

/** Retry-After in seconds or as an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
