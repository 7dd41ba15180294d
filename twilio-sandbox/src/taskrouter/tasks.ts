import type { Ctx } from '../context.js';
import { invalidParam, TwilioApiError } from '../errors.js';
import { assignText } from '../fields.js';
import type { Params } from '../form.js';
import type { RouteTable } from '../http.js';
import { childRoutes } from '../resource-routes.js';
import { createTask, findTaskChannel } from '../routing.js';
import type { AssignmentStatus, Task, Workspace } from '../state.js';
import { compileTaskExpression, UnsupportedExpressionError, type TaskAttributesPredicate } from '../task-expression.js';
import { checkAttributes, type ParamDecls } from '../validate.js';
import { workspacePath } from './scope.js';
import { serializeTask } from './serializers.js';

const STATUSES = 'pending|reserved|assigned|canceled|completed|wrapping';
const CREATE_BODY: ParamDecls = {
  Timeout: 'int',
  Priority: 'int',
  TaskChannel: 'str',
  WorkflowSid: 'sid:WW',
  Attributes: 'str',
  VirtualStartTime: 'date',
  RoutingTarget: 'str',
  IgnoreCapacity: 'str',
  TaskQueueSid: 'sid:WQ',
};
const UPDATE_BODY: ParamDecls = {
  Attributes: 'str',
  AssignmentStatus: `enum:${STATUSES}`,
  Reason: 'str',
  Priority: 'int',
  TaskChannel: 'str',
  VirtualStartTime: 'date',
};
const LIST_QUERY: ParamDecls = {
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
};

/** Valid assignment-status moves through the REST API (TaskRouter's rules, simplified). */
const MOVES: Record<AssignmentStatus, AssignmentStatus[]> = {
  pending: ['canceled'],
  reserved: ['canceled'],
  assigned: ['wrapping', 'completed', 'canceled'],
  wrapping: ['completed'],
  canceled: [],
  completed: [],
};

function createWorkspaceTask(ctx: Ctx, b: Params, w: Workspace): Task {
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
  return t;
}

function listTasks(q: Params, w: Workspace): Task[] {
  const statuses = q
    .getAll('AssignmentStatus')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toLowerCase());
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
  return all;
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

function moveTask(t: Task, to: AssignmentStatus): void {
  if (to === t.assignmentStatus) return;
  if (!MOVES[t.assignmentStatus].includes(to)) {
    throw new TwilioApiError(400, 20001, `Task ${t.sid} cannot move from ${t.assignmentStatus} to ${to}`);
  }
  t.assignmentStatus = to;
}

function updateTask(b: Params, w: Workspace, t: Task): void {
  checkAttributes(b);
  if (b.has('AssignmentStatus')) moveTask(t, b.get('AssignmentStatus')!.toLowerCase() as AssignmentStatus);
  assignText(b, t, { Reason: 'reason', Attributes: 'attributes' });
  if (b.has('Priority')) t.priority = b.int('Priority')!;
  if (b.has('TaskChannel')) {
    const c = findTaskChannel(w, b.get('TaskChannel')!);
    if (!c) throw invalidParam('TaskChannel', 'task channel not found');
    t.taskChannelSid = c.sid;
    t.taskChannelUniqueName = c.uniqueName;
  }
  if (b.has('VirtualStartTime')) t.virtualStartTime = b.date('VirtualStartTime')!;
  t.dateUpdated = new Date();
}

export function registerTaskRoutes(route: RouteTable, ctx: Ctx): void {
  const tasks = childRoutes(route, ctx, workspacePath(ctx), 'Tasks', {
    itemSid: 'WT',
    find: (w, sid) => w.tasks.get(sid),
    serialize: (_w, t) => serializeTask(ctx, t),
  });
  tasks.create(CREATE_BODY, (req, w) => createWorkspaceTask(ctx, req.body, w));
  tasks.list({ key: 'tasks', query: LIST_QUERY, items: (req, w) => listTasks(req.query, w) });
  tasks.fetch();
  tasks.update(UPDATE_BODY, (req, w, t) => updateTask(req.body, w, t));
}
