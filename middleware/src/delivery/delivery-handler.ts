import type { ChannelRuntime } from '../config/channels.js';
import type { Metrics } from '../observability/metrics.js';
import type { OutboxHandler } from '../outbox/outbox-worker.js';
import type { AdapterRegistry } from './channel-adapter.js';
import type { DeliveryPayload } from './channel-events.js';

export interface DeliveryHandlerDeps {
  channels: ReadonlyMap<string, ChannelRuntime>;
  adapters: AdapterRegistry;
  metrics: Metrics;
}

/** Handles `to-channel` outbox entries: hands each event to its channel's adapter. */
export function createDeliveryHandler({
  channels,
  adapters,
  metrics,
}: DeliveryHandlerDeps): OutboxHandler<DeliveryPayload> {
  return async (item) => {
    const { channelType, event } = item.payload;
    const channel = channels.get(channelType);
    const adapter = channel && adapters.get(channel.adapter);
    if (!channel || !adapter)
      return { kind: 'failed', reason: `channel ${channelType} is not configured with an available adapter` };

    const result = await adapter.deliver(channel, event);
    const outcome = result.ok ? 'delivered' : result.retryable ? 'retry' : 'failed';
    metrics.deliveries.inc({ channel: channelType, type: event.type, outcome });
    if (result.ok) return { kind: 'done' };
    return result.retryable
      ? { kind: 'retry', reason: result.reason, retryAfterMs: result.retryAfterMs }
      : { kind: 'failed', reason: result.reason };
  };
}
