import { productUrl, type Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import { assignText } from '../fields.js';
import type { Params } from '../form.js';
import type { RouteTable } from '../http.js';
import type { WebhookConfig } from '../state.js';
import type { ParamDecls } from '../validate.js';
import { P } from './scope.js';

/** The parameters of a post-event webhook configuration (account or service). */
export const WEBHOOK_CONFIG_BODY: ParamDecls = {
  Method: 'str',
  Filters: 'list',
  PreWebhookUrl: 'str',
  PostWebhookUrl: 'str',
};

export function updateWebhookConfig(config: WebhookConfig, b: Params): void {
  if (b.has('Method')) {
    const m = b.get('Method')!.toUpperCase();
    if (m !== 'GET' && m !== 'POST') throw invalidParam('Method', `'${b.get('Method')}' is not one of GET, POST`);
    config.method = m;
  }
  if (b.has('Filters')) config.filters = b.getAll('Filters').filter(Boolean);
  if (b.has('PreWebhookUrl')) config.preWebhookUrl = b.get('PreWebhookUrl') || null;
  if (b.has('PostWebhookUrl')) config.postWebhookUrl = b.get('PostWebhookUrl') || null;
}

function serializeConfiguration(ctx: Ctx) {
  const configuration = ctx.store.configuration;
  return {
    account_sid: ctx.accountSid,
    default_chat_service_sid: configuration.defaultChatServiceSid,
    default_messaging_service_sid: configuration.defaultMessagingServiceSid,
    default_inactive_timer: configuration.defaultInactiveTimer,
    default_closed_timer: configuration.defaultClosedTimer,
    url: productUrl(ctx, P, '/v1/Configuration'),
    links: {
      service: productUrl(ctx, P, `/v1/Services/${configuration.defaultChatServiceSid}/Configuration`),
      webhooks: productUrl(ctx, P, '/v1/Configuration/Webhooks'),
    },
  };
}

function serializeAccountWebhooks(ctx: Ctx) {
  const w = ctx.store.configuration.webhooks;
  return {
    account_sid: ctx.accountSid,
    method: w.method,
    filters: w.filters,
    pre_webhook_url: w.preWebhookUrl,
    post_webhook_url: w.postWebhookUrl,
    target: w.target ?? 'webhook',
    url: productUrl(ctx, P, '/v1/Configuration/Webhooks'),
  };
}

function updateConfiguration(ctx: Ctx, b: Params): void {
  const configuration = ctx.store.configuration;
  if (b.has('DefaultChatServiceSid')) {
    const sid = b.get('DefaultChatServiceSid')!;
    if (!ctx.store.convServices.has(sid)) throw invalidParam('DefaultChatServiceSid', 'no such service');
    configuration.defaultChatServiceSid = sid;
  }
  assignText(b, configuration, {
    DefaultMessagingServiceSid: 'defaultMessagingServiceSid',
    DefaultInactiveTimer: 'defaultInactiveTimer',
    DefaultClosedTimer: 'defaultClosedTimer',
  });
}

/** The account's `/v1/Configuration` and its post-event webhooks. */
export function registerConfigurationRoutes(route: RouteTable, ctx: Ctx): void {
  const configuration = () => ({ status: 200, body: serializeConfiguration(ctx) });
  const accountWebhooks = () => ({ status: 200, body: serializeAccountWebhooks(ctx) });
  route(P, { method: 'GET', path: '/v1/Configuration', handler: configuration });
  route(P, {
    method: 'POST',
    path: '/v1/Configuration',
    body: {
      DefaultChatServiceSid: 'sid:IS',
      DefaultMessagingServiceSid: 'sid:MG',
      DefaultInactiveTimer: 'str',
      DefaultClosedTimer: 'str',
    },
    handler: (req) => {
      updateConfiguration(ctx, req.body);
      return configuration();
    },
  });
  route(P, { method: 'GET', path: '/v1/Configuration/Webhooks', handler: accountWebhooks });
  route(P, {
    method: 'POST',
    path: '/v1/Configuration/Webhooks',
    body: { ...WEBHOOK_CONFIG_BODY, Target: 'enum:webhook|flex' },
    handler: (req) => {
      const webhooks = ctx.store.configuration.webhooks;
      updateWebhookConfig(webhooks, req.body);
      if (req.body.has('Target')) webhooks.target = req.body.get('Target')!.toLowerCase() as 'webhook' | 'flex';
      return accountWebhooks();
    },
  });
}
