import type { ChannelRuntime } from '../config/channels.js';
import type { Logger } from '../observability/logger.js';
import type { LogHasher } from '../observability/log-hash.js';
import type { Metrics } from '../observability/metrics.js';
import type { QueueEntry } from '../outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';
import { customerOrderingKey } from '../store/store.js';
import { attachmentEntries } from '../media/attachment-entries.js';
import type { InboundMessage } from './inbound-message.js';
import type { InboundPayload } from './inbound-payload.js';

export type AcceptResult = 'accepted' | 'duplicate';

export interface InboundServiceDeps {
  logger: Logger;
  metrics: Metrics;
  queueEntry: QueueEntry;
  /** Stands in for customer and visitor ids in log lines. */
  hashForLog: LogHasher;
}

/**
 * Accepts a verified, valid message: persists it (unless its id was seen before) before
 * the channel gets its answer, so an acknowledged message is never lost.
 */
export function createInboundService(deps: InboundServiceDeps) {
  return {
    async accept(channel: ChannelRuntime, inbound: InboundMessage): Promise<AcceptResult> {
      const payload: InboundPayload = {
        version: OUTBOX_PAYLOAD_VERSION,
        channelType: channel.channelType,
        customer: { id: inbound.from.id, name: inbound.from.name ?? `${channel.displayName} customer` },
        message: {
          externalId: inbound.id,
          text: inbound.text ?? '',
          ...(inbound.timestamp ? { sentAt: inbound.timestamp } : {}),
          ...(inbound.attributes ? { attributes: inbound.attributes } : {}),
        },
      };
      const orderingKey = customerOrderingKey(channel.channelType, inbound.from.id);
      // Its handler starts from the customer's session: read in the write that claims the entry.
      const sessionOf = { channelType: channel.channelType, customerId: inbound.from.id };
      const dedupeKey = `inbound:${channel.channelType}:${inbound.id}`;
      // The text first, then each attachment: one entry each, in the customer's order. Each has
      // its own dedupe key, so a redelivery after a crash between them queues only what is missing.
      const entries = [...(inbound.text === undefined ? [] : [{ payload, dedupeKey }]), ...attachmentEntries(payload, inbound.media, dedupeKey)];
      let queued = false;
      for (const entry of entries) {
        if (await deps.queueEntry({ queue: 'to-flex', orderingKey, payload: entry.payload }, [entry.dedupeKey], { sessionOf })) queued = true;
      }
      const result: AcceptResult = queued ? 'accepted' : 'duplicate';
      deps.metrics.inboundRequests.inc({ channel: channel.channelType, outcome: result });
      deps.logger.debug(
        {
          channel: channel.channelType,
          customer: deps.hashForLog(inbound.from.id),
          externalId: deps.hashForLog(inbound.id),
          result,
        },
        'inbound message',
      );
      return result;
    },
  };
}

export type InboundService = ReturnType<typeof createInboundService>;
