import { iso, type Ctx } from './context.js';
import { invalidParam } from './errors.js';
import type { Params } from './form.js';
import type { ChannelWebhookConfig } from './state.js';
import type { ParamDecls } from './validate.js';

/** The `Configuration.*` parameters of conversation-scoped webhooks; `method` is the enum of methods. */
export function webhookConfigurationParams(method: string): ParamDecls {
  return {
    'Configuration.Url': 'str',
    'Configuration.Method': method,
    'Configuration.Filters': 'list',
    'Configuration.Triggers': 'list',
    'Configuration.FlowSid': 'sid:FW',
  };
}

/**
 * Whether a `webhook` or `trigger` webhook is called for this event: it has a URL and the event
 * among its filters; a trigger only for a new message whose body is one of its trigger words (in any case).
 */
export function webhookFires<W extends ChannelWebhookConfig>(
  w: W,
  kind: 'webhook' | 'trigger',
  event: { type: string; messageAdded: boolean; body: string | null | undefined },
): w is W & { url: string } {
  if (!w.url || !w.filters.includes(event.type)) return false;
  if (kind === 'webhook') return true;
  const text = (event.body ?? '').trim().toLowerCase();
  return event.messageAdded && w.triggers.some((t) => t.toLowerCase() === text);
}

/** The configuration of a new webhook; a given URL must be http(s). */
export function readWebhookConfiguration(b: Params): ChannelWebhookConfig {
  const url = b.get('Configuration.Url');
  if (url !== undefined && !/^https?:\/\//i.test(url)) throw invalidParam('Configuration.Url', `'${url}' is not a valid URL`);
  return {
    url: url ?? null,
    method: (b.get('Configuration.Method')?.toUpperCase() as 'GET' | 'POST' | undefined) ?? 'POST',
    filters: b.getAll('Configuration.Filters'),
    triggers: b.getAll('Configuration.Triggers'),
    flowSid: b.get('Configuration.FlowSid') ?? null,
  };
}

/** Applies the configuration parameters an update names. */
export function updateWebhookConfiguration(w: ChannelWebhookConfig, b: Params): void {
  if (b.has('Configuration.Url')) w.url = b.get('Configuration.Url')!;
  if (b.has('Configuration.Method')) w.method = b.get('Configuration.Method')!.toUpperCase() as 'GET' | 'POST';
  if (b.has('Configuration.Filters')) w.filters = b.getAll('Configuration.Filters');
  if (b.has('Configuration.Triggers')) w.triggers = b.getAll('Configuration.Triggers');
  if (b.has('Configuration.FlowSid')) w.flowSid = b.get('Configuration.FlowSid')!;
}

/** The resource's `configuration`: only the settings that are set; a studio webhook has no method. */
function serializeWebhookConfiguration(w: ChannelWebhookConfig, kind: 'webhook' | 'trigger' | 'studio'): Record<string, unknown> {
  const configuration: Record<string, unknown> = {};
  if (w.url) configuration.url = w.url;
  if (kind !== 'studio') configuration.method = w.method;
  if (w.filters.length) configuration.filters = w.filters;
  if (w.triggers.length) configuration.triggers = w.triggers;
  if (w.flowSid) configuration.flow_sid = w.flowSid;
  return configuration;
}

/** A webhook as either product keeps it. */
export interface StoredWebhook extends ChannelWebhookConfig {
  sid: string;
  dateCreated: Date;
  dateUpdated: Date;
}

/**
 * A webhook resource as Twilio answers it. `placement` names where it hangs and its kind
 * (conversation and `target`); `settings` are its own configuration fields (replay_after).
 */
export function serializeWebhook(
  ctx: Ctx,
  w: StoredWebhook,
  resource: { kind: 'webhook' | 'trigger' | 'studio'; url: string; placement: Record<string, unknown>; settings: Record<string, unknown> },
) {
  return {
    sid: w.sid,
    account_sid: ctx.accountSid,
    ...resource.placement,
    url: resource.url,
    configuration: { ...serializeWebhookConfiguration(w, resource.kind), ...resource.settings },
    date_created: iso(w.dateCreated),
    date_updated: iso(w.dateUpdated),
  };
}
