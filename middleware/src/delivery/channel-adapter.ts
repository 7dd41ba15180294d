import type { AdapterKind, ChannelRuntime } from '../config/channels.js';
import type { Failure } from '../outbox/failure.js';
import type { ChannelEvent } from './channel-events.js';

/** `held`: accepted, but kept until the customer connects (a web chat visitor not on the site): shown on their next visit. */
export type DeliveryResult = { ok: true; held?: boolean } | Failure;

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
