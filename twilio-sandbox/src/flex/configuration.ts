import { iso, productUrl, type Ctx } from '../context.js';
import type { RouteTable } from '../http.js';

import { P } from './product.js';

/**
 * `GET /v1/Configuration` as a fresh Flex account answers it: the TaskRouter workspace,
 * workflow and queue Flex created, its chat and messaging services, and Flex's defaults
 * for everything an admin has not configured yet (null where the spec allows it).
 */
function serializeConfiguration(ctx: Ctx, created: Date) {
  const { seeded, configuration } = ctx.store;
  const workspace = ctx.store.workspaces.get(seeded.workspaceSid);
  const [everyone] = workspace ? [...workspace.taskQueues.values()] : [];
  return {
    account_sid: ctx.accountSid,
    date_created: iso(created),
    date_updated: iso(created),
    attributes: {},
    status: 'ok',
    taskrouter_workspace_sid: seeded.workspaceSid,
    taskrouter_target_workflow_sid: seeded.workflowSid,
    taskrouter_target_taskqueue_sid: everyone?.sid ?? null,
    taskrouter_taskqueues: everyone ? [{ targettable: true, sid: everyone.sid }] : [],
    taskrouter_skills: [],
    taskrouter_worker_channels: {},
    taskrouter_worker_attributes: {},
    taskrouter_offline_activity_sid: workspace?.defaultActivitySid ?? null,
    runtime_domain: null,
    messaging_service_instance_sid: configuration.defaultMessagingServiceSid,
    chat_service_instance_sid: seeded.conversationsServiceSid,
    flex_service_instance_sid: seeded.conversationsServiceSid,
    flex_instance_sid: null,
    ui_language: 'en',
    ui_attributes: {},
    ui_dependencies: {},
    ui_version: '2.17.1',
    service_version: '1.0',
    call_recording_enabled: false,
    call_recording_webhook_url: null,
    crm_enabled: false,
    crm_type: 'custom',
    crm_callback_url: null,
    crm_fallback_url: null,
    crm_attributes: {},
    public_attributes: {},
    plugin_service_enabled: true,
    plugin_service_attributes: {},
    integrations: [],
    outbound_call_flows: {},
    serverless_service_sids: [],
    queue_stats_configuration: {},
    notifications: {},
    markdown: {},
    url: productUrl(ctx, P, '/v1/Configuration'),
    flex_insights_hr: {},
    flex_insights_drilldown: false,
    flex_url: null,
    channel_configs: [],
    debugger_integration: {},
    flex_ui_status_report: {},
    agent_conv_end_methods: {},
    citrix_voice_vdi: {},
    offline_config: {},
  };
}

export function registerFlexConfigurationRoutes(route: RouteTable, ctx: Ctx): void {
  const created = new Date();
  route(P, {
    method: 'GET',
    path: '/v1/Configuration',
    query: { UiVersion: 'str' },
    handler: () => ({ status: 200, body: serializeConfiguration(ctx, created) }),
  });
}
