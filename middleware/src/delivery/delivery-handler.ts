import type { ChannelRuntime } from '../config/channels.js';
import { failureOf } from '../flex/twilio-errors.js';
import { textTooLong } from '../inbound/inbound-message.js';
import type { Metrics } from '../observability/metrics.js';
import { permanent } from '../outbox/failure.js';
import type { OutboxHandler } from '../outbox/outbox-worker.js';
import { resolvePendingRead } from '../receipts/pending-read.js';
import type { ReadHorizons } from '../receipts/read-horizons.js';
import type { AdapterRegistry } from './channel-adapter.js';
import type { DeliveryPayload } from './channel-events.js';
import type { TooLongNotifier } from './too-long-notice.js';
import type { UndeliverableNotifier } from './undeliverable-notice.js';
import type { AgentMediaDelivery } from '../media/agent-media-delivery.js';
import type { ContentDelivery } from '../rich/content-delivery.js';

export interface DeliveryHandlerDeps {
  channels: ReadonlyMap<string, ChannelRuntime>;
  adapters: AdapterRegistry;
  metrics: Metrics;
  notifyTooLong: TooLongNotifier;
  /** Tells the agent that a message of theirs cannot reach the customer; without it, the dead letter alone says so. */
  notifyUndeliverable?: UndeliverableNotifier;
  readHorizons: ReadHorizons;
  /** Links the channel can fetch for an agent's attachments; without it, attachments are not delivered. */
  prepareMedia?: AgentMediaDelivery;
  /** Fills messages posted with a Content template; without it, such a message goes out as its text. */
  prepareContent?: ContentDelivery;
}

/**
 * Handles `to-channel` outbox entries: hands each event to its channel's adapter, except a
 * message longer than the channel takes, which the agent is told about instead. An agent's
 * read is first turned into the id of the customer's message it reached.
 */
export function createDeliveryHandler({
  channels,
  adapters,
  metrics,
  notifyTooLong,
  notifyUndeliverable,
  readHorizons,
  prepareMedia,
  prepareContent,
}: DeliveryHandlerDeps): OutboxHandler<DeliveryPayload> {
  return async (item) => {
    const { channelType } = item.payload;
    const channel = channels.get(channelType);
    const adapter = channel && adapters.get(channel.adapter);
    if (!channel || !adapter) return permanent(`channel ${channelType} is not configured with an available adapter`);

    let resolved;
    try {
      resolved = item.payload.event.type === 'agent_read' ? await resolvePendingRead(readHorizons, item.payload.event) : item.payload.event;
    } catch (error) {
      return failureOf(error);
    }
    // The agent read only agent messages (or ones too old to look up): nothing for the customer.
    if (!resolved) return { kind: 'done' };
    const withMedia = prepareMedia ? await prepareMedia(channel, { event: resolved, attachments: item.payload.attachments }) : resolved;
    if (!withMedia) {
      metrics.deliveries.inc({ channel: channelType, type: 'message', outcome: 'media_refused' });
      return { kind: 'done' };
    }
    let event = withMedia;
    if (event.type === 'message' && event.content && prepareContent) {
      let filled;
      try {
        filled = await prepareContent(channel, event);
      } catch (error) {
        return failureOf(error);
      }
      if (!filled) {
        metrics.deliveries.inc({ channel: channelType, type: 'message', outcome: 'content_not_found' });
        return { kind: 'done' };
      }
      event = filled;
    }
    if (event.type === 'message' && textTooLong(event.text, channel.maxMessageLength)) {
      await notifyTooLong(channel, event);
      metrics.deliveries.inc({ channel: channelType, type: event.type, outcome: 'too_long' });
      return { kind: 'done' };
    }
    const result = await adapter.deliver(channel, event);
    if ('kind' in result && result.kind === 'undeliverable') {
      metrics.deliveries.inc({ channel: channelType, type: event.type, outcome: 'failed' });
      if (event.type === 'message' && notifyUndeliverable) {
        try {
          await notifyUndeliverable(channel, event, result.reason);
        } catch (error) {
          return failureOf(error);
        }
      }
      return permanent(result.reason);
    }
    const outcome = 'ok' in result ? 'delivered' : result.kind === 'permanent' ? 'failed' : 'retry';
    metrics.deliveries.inc({ channel: channelType, type: event.type, outcome });
    return 'ok' in result ? { kind: 'done' } : result;
  };
}
