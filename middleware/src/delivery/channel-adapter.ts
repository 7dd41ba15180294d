import type { AdapterKind, ChannelRuntime } from '../config/channels.js';
import type { Failure } from '../outbox/failure.js';
import type { ChannelEvent } from './channel-events.js';

/**
 * The customer cannot be reached with this message, as the platform says (its messaging
 * window has closed, say): not retried, kept as a dead letter, and the agent is told why.
 */
export interface Undeliverable {
  kind: 'undeliverable';
  reason: string;
}

export const undeliverable = (reason: string): Undeliverable => ({ kind: 'undeliverable', reason });

export type DeliveryResult = { ok: true } | Failure | Undeliverable;

/** Carries events to customers on one kind of channel. A new kind (the web chat) is one more implementation. */
export interface ChannelAdapter {
  readonly kind: AdapterKind;
  deliver(channel: ChannelRuntime, event: ChannelEvent): Promise<DeliveryResult>;
}

export interface AdapterRegistry {
  get(kind: AdapterKind): ChannelAdapter | undefined;
}

export function createAdapterRegistry(adapters: ChannelAdapter[]): AdapterRegistry {
  const byKind = new Map(adapters.map((adapter) => [adapter.kind, adapter]));
  return { get: (kind) => byKind.get(kind) };
}
