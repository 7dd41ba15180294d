import { iso, productUrl, type Ctx } from './context.js';
import { invalidParam, TwilioApiError } from './errors.js';
import { found, type ApiRequest, type RouteTable } from './http.js';
import { listPage, PAGE } from './paging.js';
import { createTask, findTaskChannel } from './routing.js';
import { compileTaskExpression, UnsupportedExpressionError, type TaskAttributesPredicate } from './task-expression.js';
import type { AssignmentStatus, Task, TaskChannel, Workflow, Workspace } from './state.js';
import { checkAttributes } from './validate.js';

const P = 'taskrouter';
const STATUSES = 'pending|reserved|assigned|canceled|completed|wrapping';

const wsUrl = (ctx: Ctx, sid: string) => productUrl(ctx, P, `/v1/Workspaces/${sid}`);

function serializeWorkspace(ctx: Ctx, w: Workspace) {
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
    links: {
      activities: `${url}/Activities`,
      events: `${url}/Events`,
      task_channels: `${url}/TaskChannels`,
      task_queues: `${url}/TaskQueues`,
      tasks: `${url}/Tasks`,
      workers: `${url}/Workers`,
      workflows: `${url}/Workflows`,
      statistics: `${url}/Statistics`,
    },
  };
}

function serializeWorkflow(ctx: Ctx, w: Workflow) {
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
    links: { statistics: `${url}/Statistics`, real_time_statistics: `${url}/RealTimeStatistics`, cumulative_statistics: `${url}/CumulativeStatistics` },
  };
}

function serializeTaskChannel(ctx: Ctx, c: TaskChannel) {
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

/** Valid assignment-status moves through the REST API (TaskRouter's rules, simplified). */
const MOVES: Record<AssignmentStatus, AssignmentStatus[]> = {
  pending: ['canceled'],
  reserved: ['canceled'],
  assigned: ['wrapping', 'completed', 'canceled'],
  wrapping: ['completed'],
  canceled: [],
  completed: [],
};

export function registerTaskRouterRoutes(route: RouteTable, ctx: Ctx): void {
  const store = ctx.store;
  const workspace = (req: ApiRequest, name = 'WorkspaceSid'): Workspace => found(req, store.workspaces.get(req.params[name]!));
  const WS = { WorkspaceSid: 'WS' };

  route(P, {
    method: 'GET',
    path: '/v1/Workspaces',
    query: { FriendlyName: 'str', ...PAGE },
    handler: (req) => {
      const name = req.query.get('FriendlyName');
      const all = [...store.workspaces.values()].filter((w) => !name || w.friendlyName === name);
      return listPage(req, all, { key: 'workspaces', url: productUrl(ctx, P, '/v1/Workspaces') }, (w) => serializeWorkspace(ctx, w));
    },
  });
  route(P, {
    method: 'GET',
    path: '/v1/Workspaces/:Sid',
    sids: { Sid: 'WS' },
    handler: (req) => ({ status: 200, body: serializeWorkspace(ctx, workspace(req, 'Sid')) }),
  });

  route(P, {
    method: 'GET',
    path: '/v1/Workspaces/:WorkspaceSid/Workflows',
    sids: WS,
    query: { FriendlyName: 'str', ...PAGE },
    handler: (req) => {
      const w = workspace(req);
      const name = req.query.get('FriendlyName');
      const all = [...w.workflows.values()].filter((x) => !name || x.friendlyName === name);
      return listPage(req, all, { key: 'workflows', url: productUrl(ctx, P, req.twilioPath) }, (x) => serializeWorkflow(ctx, x));
    },
  });
  route(P, {
    method: 'GET',
    path: '/v1/Workspaces/:WorkspaceSid/Workflows/:Sid',
    sids: { ...WS, Sid: 'WW' },
    handler: (req) => ({ status: 200, body: serializeWorkflow(ctx, found(req, workspace(req).workflows.get(req.params.Sid!))) }),
  });

  route(P, {
    method: 'GET',
    path: '/v1/Workspaces/:WorkspaceSid/TaskChannels',
    sids: WS,
    query: PAGE,
    handler: (req) =>
      listPage(req, [...workspace(req).taskChannels.values()], { key: 'channels', url: productUrl(ctx, P, req.twilioPath) }, (c) =>
        serializeTaskChannel(ctx, c),
      ),
  });
  route(P, {
    method: 'GET',
    path: '/v1/Workspaces/:WorkspaceSid/TaskChannels/:Sid',
    sids: WS,
    handler: (req) => ({ status: 200, body: serializeTaskChannel(ctx, found(req, findTaskChannel(workspace(req), req.params.Sid!))) }),
  });

  route(P, {
    method: 'POST',
    path: '/v1/Workspaces/:WorkspaceSid/Tasks',
    sids: WS,
    body: {
      Timeout: 'int',
      Priority: 'int',
      TaskChannel: 'str',
      WorkflowSid: 'sid:WW',
      Attributes: 'str',
      VirtualStartTime: 'date',
      RoutingTarget: 'str',
      IgnoreCapacity: 'str',
      TaskQueueSid: 'sid:WQ',
    },
    handler: (req) => {
      const w = workspace(req);
      const b = req.body;
      checkAttributes(b);
      if (!b.has('WorkflowSid') && !b.has('TaskQueueSid') && w.workflows.size !== 1) {
        throw invalidParam('WorkflowSid', 'a WorkflowSid is required when the workspace has more than one workflow');
      }
      const t = createTask(ctx, w, {
        workflowSid: b.get('WorkflowSid') ?? (b.has('TaskQueueSid') ? undefined : [...w.workflows.keys()][0]),
        taskChannel: b.get('TaskChannel'),
        attributes: b.get('Attributes'),
        priority: b.int('Priority'),
        timeout: b.int('Timeout'),
        taskQueueSid: b.get('TaskQueueSid'),
        routingTarget: b.get('RoutingTarget'),
      });
      if (b.has('VirtualStartTime')) t.virtualStartTime = b.date('VirtualStartTime')!;
      return { status: 201, body: serializeTask(ctx, t) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v1/Workspaces/:WorkspaceSid/Tasks',
    sids: WS,
    query: {
      Priority: 'int',
      AssignmentStatus: 'list',
      WorkflowSid: 'sid:WW',
      WorkflowName: 'str',
      TaskQueueSid: 'sid:WQ',
      TaskQueueName: 'str',
      EvaluateTaskAttributes: 'str',
      RoutingTarget: 'str',
      Ordering: 'str',
      HasAddons: 'bool',
      ...PAGE,
    },
    handler: (req) => {
      const w = workspace(req);
      const q = req.query;
      const statuses = q.getAll('AssignmentStatus').flatMap((s) => s.split(',')).map((s) => s.trim().toLowerCase());
      for (const s of statuses) if (!STATUSES.split('|').includes(s)) throw invalidParam('AssignmentStatus', `'${s}' is not a status`);
      const matchesAttributes = attributeFilter(q.get('EvaluateTaskAttributes'));
      const all = [...w.tasks.values()].filter(
        (t) =>
          (!statuses.length || statuses.includes(t.assignmentStatus)) &&
          (!q.has('Priority') || t.priority === q.int('Priority')) &&
          (!q.has('WorkflowSid') || t.workflowSid === q.get('WorkflowSid')) &&
          (!q.has('WorkflowName') || t.workflowFriendlyName === q.get('WorkflowName')) &&
          (!q.has('TaskQueueSid') || t.taskQueueSid === q.get('TaskQueueSid')) &&
          (!q.has('TaskQueueName') || t.taskQueueFriendlyName === q.get('TaskQueueName')) &&
          matchesAttributes(t),
      );
      if (q.get('Ordering')?.startsWith('DateCreated:desc')) all.reverse();
      return listPage(req, all, { key: 'tasks', url: productUrl(ctx, P, req.twilioPath) }, (t) => serializeTask(ctx, t));
    },
  });
  const task = (req: ApiRequest): Task => found(req, workspace(req).tasks.get(req.params.Sid!));
  route(P, {
    method: 'GET',
    path: '/v1/Workspaces/:WorkspaceSid/Tasks/:Sid',
    sids: { ...WS, Sid: 'WT' },
    handler: (req) => ({ status: 200, body: serializeTask(ctx, task(req)) }),
  });
  route(P, {
    method: 'POST',
    path: '/v1/Workspaces/:WorkspaceSid/Tasks/:Sid',
    sids: { ...WS, Sid: 'WT' },
    body: {
      Attributes: 'str',
      AssignmentStatus: `enum:${STATUSES}`,
      Reason: 'str',
      Priority: 'int',
      TaskChannel: 'str',
      VirtualStartTime: 'date',
    },
    handler: (req) => {
      const t = task(req);
      const b = req.body;
      checkAttributes(b);
      if (b.has('AssignmentStatus')) {
        const to = b.get('AssignmentStatus')!.toLowerCase() as AssignmentStatus;
        if (to !== t.assignmentStatus) {
          if (!MOVES[t.assignmentStatus].includes(to)) {
            throw new TwilioApiError(400, 20001, `Task ${t.sid} cannot move from ${t.assignmentStatus} to ${to}`);
          }
          t.assignmentStatus = to;
        }
      }
      if (b.has('Reason')) t.reason = b.get('Reason')!;
      if (b.has('Attributes')) t.attributes = b.get('Attributes')!;
      if (b.has('Priority')) t.priority = b.int('Priority')!;
      if (b.has('TaskChannel')) {
        const c = findTaskChannel(workspace(req), b.get('TaskChannel')!);
        if (!c) throw invalidParam('TaskChannel', 'task channel not found');
        t.taskChannelSid = c.sid;
        t.taskChannelUniqueName = c.uniqueName;
      }
      if (b.has('VirtualStartTime')) t.virtualStartTime = b.date('VirtualStartTime')!;
      t.dateUpdated = new Date();
      return { status: 200, body: serializeTask(ctx, t) };
    },
  });
}

function attributeFilter(expression: string | undefined): (task: Task) => boolean {
  if (expression === undefined) return () => true;
  let predicate: TaskAttributesPredicate;
  try {
    predicate = compileTaskExpression(expression);
  } catch (error) {
    if (error instanceof UnsupportedExpressionError) throw invalidParam('EvaluateTaskAttributes', error.message);
    throw error;
  }
  return (task) => predicate(JSON.parse(task.attributes) as Record<string, unknown>);
}
