import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OUTBOX_QUEUES, type OutboxItem, type OutboxQueue, type Store } from '../store/store.js';
import type { HandlingOutcome } from '../outbox/outbox-worker.js';

export interface Metrics {
  registry: Registry;
  inboundRequests: Counter<'channel' | 'outcome'>;
  twilioWebhooks: Counter<'kind' | 'outcome'>;
  sessionsOpened: Counter<'channel' | 'outcome'>;
  sessionsEnded: Counter<'channel'>;
  messagesToFlex: Counter<'channel' | 'outcome'>;
  deliveries: Counter<'channel' | 'type' | 'outcome'>;
  /** An outbox attempt's recorded outcome, and for a handled entry the time since it was queued. */
  observeAttempt(queue: OutboxQueue, item: OutboxItem, outcome: HandlingOutcome['kind']): void;
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
  new Gauge({
    name: 'cc_outbox_oldest_due_seconds',
    help: 'How long the longest-waiting due entry of the queue has waited to be taken up (0 when none): grows when no instance works the queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const oldest = await store.oldestOutboxDue();
      const now = Date.now();
      for (const queue of OUTBOX_QUEUES) {
        const oldestDueAt = oldest[queue];
        this.set({ queue }, oldestDueAt === undefined ? 0 : Math.max(0, now - oldestDueAt) / 1000);
      }
    },
  });
  const attempts = counter('cc_outbox_attempts_total', "Outbox attempts by queue and outcome (throttled: 429 or a rate limit, on to-flex Twilio's)", [
    'queue',
    'outcome',
  ]);
  const handled = new Histogram({
    name: 'cc_outbox_handled_seconds',
    help: 'From an entry queued to handled (message posted to Twilio, event delivered to the channel), retries included',
    labelNames: ['queue'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers: [registry],
  });

  return {
    registry,
    inboundRequests: counter('cc_inbound_requests_total', 'Inbound channel requests by outcome', ['channel', 'outcome']),
    twilioWebhooks: counter('cc_twilio_webhooks_total', 'Twilio webhook requests by kind and outcome', ['kind', 'outcome']),
    sessionsOpened: counter('cc_sessions_opened_total', 'Conversation creations by outcome', ['channel', 'outcome']),
    sessionsEnded: counter('cc_sessions_ended_total', 'Conversations ended by Flex', ['channel']),
    messagesToFlex: counter('cc_messages_to_flex_total', 'Customer messages posted to Twilio, by outcome', ['channel', 'outcome']),
    deliveries: counter('cc_deliveries_total', 'Deliveries to channels by event type and outcome', ['channel', 'type', 'outcome']),
    observeAttempt(queue, item, outcome) {
      attempts.inc({ queue, outcome });
      if (outcome === 'done') handled.observe({ queue }, Math.max(0, Date.now() - item.createdAt) / 1000);
    },
    outboundStarts: counter(
      'cc_outbound_starts_total',
      'Conversations agents started from Flex, by outcome (accepted, duplicate, joined, opened, or why refused)',
      ['channel', 'outcome'],
    ),
  };
}
