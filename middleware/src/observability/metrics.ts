import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { OutboxQueue, Store } from '../store/store.js';

const OUTBOX_QUEUES: OutboxQueue[] = ['to-flex', 'to-channel'];

export interface Metrics {
  registry: Registry;
  inboundRequests: Counter<'channel' | 'outcome'>;
  twilioWebhooks: Counter<'kind' | 'outcome'>;
  sessionsOpened: Counter<'channel' | 'outcome'>;
  sessionsEnded: Counter<'channel'>;
  messagesToFlex: Counter<'channel' | 'outcome'>;
  deliveries: Counter<'channel' | 'type' | 'outcome'>;
  outboundStarts: Counter<'channel' | 'outcome'>;
}

/** A registry of its own (not prom-client's global one), so several instances can live in one process. */
export function createMetrics(store: Store): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name, help, labelNames, registers: [registry] });

  new Gauge({
    name: 'cc_outbox_entries',
    help: 'Outbox entries by queue and state (pending: waiting or retrying; failed: given up, kept with the reason)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const counts = await store.countOutbox();
      for (const queue of OUTBOX_QUEUES) {
        const count = counts.find((each) => each.queue === queue);
        this.set({ queue, state: 'pending' }, count?.pending ?? 0);
        this.set({ queue, state: 'failed' }, count?.failed ?? 0);
      }
    },
  });

  return {
    registry,
    inboundRequests: counter('cc_inbound_requests_total', 'Inbound channel requests by outcome', ['channel', 'outcome']),
    twilioWebhooks: counter('cc_twilio_webhooks_total', 'Twilio webhook requests by kind and outcome', ['kind', 'outcome']),
    sessionsOpened: counter('cc_sessions_opened_total', 'Conversation creations by outcome', ['channel', 'outcome']),
    sessionsEnded: counter('cc_sessions_ended_total', 'Conversations ended by Flex', ['channel']),
    messagesToFlex: counter('cc_messages_to_flex_total', 'Customer messages posted to Twilio, by outcome', ['channel', 'outcome']),
    deliveries: counter('cc_deliveries_total', 'Deliveries to channels by event type and outcome', ['channel', 'type', 'outcome']),
    outboundStarts: counter(
      'cc_outbound_starts_total',
      'Conversations agents started from Flex, by outcome (accepted, duplicate, joined, opened, or why refused)',
      ['channel', 'outcome'],
    ),
  };
}
