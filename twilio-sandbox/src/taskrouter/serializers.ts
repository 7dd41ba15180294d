import { iso, linksBelow, productUrl, type Ctx } from '../context.js';
import type { Task, TaskChannel, Workflow, Workspace } from '../state.js';
import { P } from './scope.js';

const wsUrl = (ctx: Ctx, sid: string) => productUrl(ctx, P, `/v1/Workspaces/${sid}`);

export function serializeWorkspace(ctx: Ctx, w: Workspace) {
  const url = wsUrl(ctx, w.sid);
  return {
    account_sid: ctx.accountSid,
    date_created: iso(w.dateCreated),
    date_updated: iso(w.dateUpdated),
    default_activity_name: 'Offline',
    default_activity_sid: w.defaultActivitySid,
    event_callback_url: w.eventCallbackUrl,
    events_filter: null,
    friendly_name: w.friendlyName,
    multi_task_enabled: true,
    sid: w.sid,
    timeout_activity_name: 'Offline',
    timeout_activity_sid: w.timeoutActivitySid,
    prioritize_queue_order: 'FIFO',
    url,
    links: linksBelow(url, {
      activities: 'Activities',
      events: 'Events',
      task_channels: 'TaskChannels',
      task_queues: 'TaskQueues',
      tasks: 'Tasks',
      workers: 'Workers',
      workflows: 'Workflows',
      statistics: 'Statistics',
    }),
  };
}

export function serializeWorkflow(ctx: Ctx, w: Workflow) {
  const url = `${wsUrl(ctx, w.workspaceSid)}/Workflows/${w.sid}`;
  return {
    account_sid: ctx.accountSid,
    assignment_callback_url: w.assignmentCallbackUrl,
    configuration: w.configuration,
    date_created: iso(w.dateCreated),
    date_updated: iso(w.dateUpdated),
    document_content_type: 'application/json',
    fallback_assignment_callback_url: w.fallbackAssignmentCallbackUrl,
    friendly_name: w.friendlyName,
    sid: w.sid,
    task_reservation_timeout: w.taskReservationTimeout,
    workspace_sid: w.workspaceSid,
    url,
    links: {
      statistics: `${url}/Statistics`,
      real_time_statistics: `${url}/RealTimeStatistics`,
      cumulative_statistics: `${url}/CumulativeStatistics`,
    },
  };
}

export function serializeTaskChannel(ctx: Ctx, c: TaskChannel) {
  return {
    account_sid: ctx.accountSid,
    date_created: iso(c.dateCreated),
    date_updated: iso(c.dateUpdated),
    friendly_name: c.friendlyName,
    sid: c.sid,
    unique_name: c.uniqueName,
    workspace_sid: c.workspaceSid,
    channel_optimized_routing: c.channelOptimizedRouting,
    url: `${wsUrl(ctx, c.workspaceSid)}/TaskChannels/${c.sid}`,
    links: { workspace: wsUrl(ctx, c.workspaceSid) },
  };
}

export function serializeTask(ctx: Ctx, t: Task) {
  const url = `${wsUrl(ctx, t.workspaceSid)}/Tasks/${t.sid}`;
  return {
    account_sid: ctx.accountSid,
    age: Math.floor((Date.now() - t.dateCreated.getTime()) / 1000),
    assignment_status: t.assignmentStatus,
    attributes: t.attributes,
    addons: '{}',
    date_created: iso(t.dateCreated),
    date_updated: iso(t.dateUpdated),
    task_queue_entered_date: t.taskQueueSid ? iso(t.dateCreated) : null,
    priority: t.priority,
    reason: t.reason,
    sid: t.sid,
    task_queue_sid: t.taskQueueSid,
    task_queue_friendly_name: t.taskQueueFriendlyName,
    task_channel_sid: t.taskChannelSid,
    task_channel_unique_name: t.taskChannelUniqueName,
    timeout: t.timeout,
    workflow_sid: t.workflowSid,
    workflow_friendly_name: t.workflowFriendlyName,
    workspace_sid: t.workspaceSid,
    url,
    links: { reservations: `${url}/Reservations`, workspace: wsUrl(ctx, t.workspaceSid) },
    virtual_start_time: iso(t.virtualStartTime),
    ignore_capacity: false,
    routing_target: t.routingTarget,
  };
}
