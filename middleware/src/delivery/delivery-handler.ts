import type { ChannelRuntime } from '../config/channels.js';
import { textTooLong } from '../inbound/inbound-message.js';
import type { Metrics } from '../observability/metrics.js';
import type { OutboxHandler } from '../outbox/outbox-worker.js';
import type { AdapterRegistry } from './channel-adapter.js';
import type { DeliveryPayload } from './channel-events.js';
import type { TooLongNotifier } from './too-long-notice.js';
import type { AgentMediaDelivery } from '../media/agent-media-delivery.js';

export interface DeliveryHandlerDeps {
  channels: ReadonlyMap<string, ChannelRuntime>;
  adapters: AdapterRegistry;
  metrics: Metrics;
  notifyTooLong: TooLongNotifier;
  /** Links the channel can fetch for an agent's attachments; without it, attachments are not delivered. */
  prepareMedia?: AgentMediaDelivery;
}

/**
 * Handles `to-channel` outbox entries: hands each event to its channel's adapter, except a
 * message longer than the channel takes, which the agent is told about instead.
 */
export function createDeliveryHandler({ channels, adapters, metrics, notifyTooLong, prepareMedia }: DeliveryHandlerDeps): OutboxHandler<DeliveryPayload> {
  return async (item) => {
    const { channelType } = item.payload;
    const channel = channels.get(channelType);
    const adapter = channel && adapters.get(channel.adapter);
    if (!channel || !adapter) return { kind: 'failed', reason: `channel ${channelType} is not configured with an available adapter` };

    const event = prepareMedia ? await prepareMedia(channel, item.payload) : item.payload.event;
    if (!event) {
      metrics.deliveries.inc({ channel: channelType, type: 'message', outcome: 'media_refused' });
      return { kind: 'done' };
    }
    if (event.type === 'message' && textTooLong(event.text, channel.maxMessageLength)) {
      await notifyTooLong(channel, event);
      metrics.deliveries.inc({ channel: channelType, type: event.type, outcome: 'too_long' });
      return { kind: 'done' };
    }
    const result = await adapter.deliver(channel, event);
    const outcome = result.ok ? 'delivered' : result.retryable ? 'retry' : 'failed';
    metrics.deliveries.inc({ channel: channelType, type: event.type, outcome });
    if (result.ok) return { kind: 'done' };
    return result.retryable ? { kind: 'retry', reason: result.reason, retryAfterMs: result.retryAfterMs } : { kind: 'failed', reason: result.reason };
  };
}
