import { iso, productUrl, type Ctx } from '../context.js';
import type { RouteTable } from '../http.js';
import type { TaskQueue, Worker, Workspace } from '../state.js';
import { registerNamedCollection } from './named-collections.js';
import { P } from './scope.js';

const wsUrl = (ctx: Ctx, sid: string) => productUrl(ctx, P, `/v1/Workspaces/${sid}`);

export function serializeWorker(ctx: Ctx, w: Worker) {
  const url = `${wsUrl(ctx, w.workspaceSid)}/Workers/${w.sid}`;
  return {
    account_sid: ctx.accountSid,
    activity_name: w.activityName,
    activity_sid: w.activitySid,
    attributes: w.attributes,
    available: w.available,
    date_created: iso(w.dateCreated),
    date_status_changed: iso(w.dateUpdated),
    date_updated: iso(w.dateUpdated),
    friendly_name: w.friendlyName,
    sid: w.sid,
    workspace_sid: w.workspaceSid,
    url,
    links: { channels: `${url}/Channels`, reservations: `${url}/Reservations`, activity: `${wsUrl(ctx, w.workspaceSid)}/Activities/${w.activitySid}` },
  };
}

export function serializeTaskQueue(ctx: Ctx, ws: Workspace, q: TaskQueue) {
  const url = `${wsUrl(ctx, ws.sid)}/TaskQueues/${q.sid}`;
  return {
    account_sid: ctx.accountSid,
    assignment_activity_sid: null,
    assignment_activity_name: null,
    date_created: iso(ws.dateCreated),
    date_updated: iso(ws.dateUpdated),
    friendly_name: q.friendlyName,
    max_reserved_workers: 1,
    reservation_activity_sid: null,
    reservation_activity_name: null,
    sid: q.sid,
    target_workers: '1==1',
    task_order: 'FIFO',
    url,
    workspace_sid: ws.sid,
    links: { statistics: `${url}/Statistics`, real_time_statistics: `${url}/RealTimeStatistics` },
  };
}

/** Workers and task queues: read only, seeded with the demo agents. */
export function registerWorkerRoutes(route: RouteTable, ctx: Ctx): void {
  registerNamedCollection(route, ctx, {
    name: 'Workers',
    itemSid: 'WK',
    key: 'workers',
    items: (w) => w.workers,
    serialize: (_w, x) => serializeWorker(ctx, x),
    filter: {
      query: { Available: 'bool' },
      keeps: (req, x) => !req.query.has('Available') || String(x.available) === req.query.get('Available'),
    },
  });
  registerNamedCollection(route, ctx, {
    name: 'TaskQueues',
    itemSid: 'WQ',
    key: 'task_queues',
    items: (w) => w.taskQueues,
    serialize: (w, q) => serializeTaskQueue(ctx, w, q),
  });
}
