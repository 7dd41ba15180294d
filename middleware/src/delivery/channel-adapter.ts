import type { AdapterKind, ChannelRuntime } from '../config/channels.js';
import type { Failure } from '../outbox/failure.js';
import type { ChannelEvent } from './channel-events.js';

export type DeliveryResult = { ok: true } | Failure;

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
