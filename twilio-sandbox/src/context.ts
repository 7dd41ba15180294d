import type { FaultInjector } from './faults.js';
import type { Scheduler } from './scheduler.js';
import type { SandboxState } from './state.js';
import type { WebhookDispatcher } from './webhooks.js';

/** Everything a route module or domain function of the stand-in needs. */
export interface Ctx {
  readonly store: SandboxState;
  readonly accountSid: string;
  readonly authToken: string;
  /** API key SID (SK...) → secret, accepted as basic-auth credentials too. */
  readonly apiKeys: ReadonlyMap<string, string>;
  readonly scheduler: Scheduler;
  readonly faults: FaultInjector;
  readonly webhooks: WebhookDispatcher;
  /** The stand-in's origin, e.g. http://127.0.0.1:4010 (resource URLs point here). */
  baseUrl: string;
  log(msg: string, extra?: Record<string, unknown>): void;
}

/** URL of a product path on the stand-in: product('conversations', '/v1/Conversations'). */
export function productUrl(ctx: Ctx, product: string, path: string): string {
  return `${ctx.baseUrl}/${product}${path}`;
}

export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}
