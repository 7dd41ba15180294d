import type { FaultInjector } from './faults.js';
import type { MediaStore } from './media/store.js';
import type { Scheduler } from './scheduler.js';
import type { Conversation, SandboxState } from './state.js';
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
  readonly studio: StudioFlows;
  /** The Media Content Service's files. */
  readonly media: MediaStore;
  /** The stand-in's origin, e.g. http://127.0.0.1:4010 (resource URLs point here). */
  baseUrl: string;
  log(msg: string, extra?: Record<string, unknown>): void;
}

/**
 * Starts Studio flow executions. Handed in at start-up: the flow's actions post messages and
 * create tasks, so the modules that fire events must not import the runner themselves.
 */
export interface StudioFlows {
  /** A conversation-scoped studio webhook: the flow starts on the first message. */
  runForConversation(ctx: Ctx, flowSid: string, conv: Conversation, eventParams: Record<string, string>): Promise<void>;
  /** A later customer message: continues the conversation's execution if a widget waits for a reply. */
  continueForConversation(ctx: Ctx, conv: Conversation, eventParams: Record<string, string>): Promise<void>;
}

/** URL of a product path on the stand-in: product('conversations', '/v1/Conversations'). */
export function productUrl(ctx: Ctx, product: string, path: string): string {
  return `${ctx.baseUrl}/${product}${path}`;
}

/** A resource's `links`: each named subresource's URL below the resource's own. */
export function linksBelow(url: string, paths: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, `${url}/${path}`]));
}

export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}
