import type { Ctx } from '../context.js';
import type { RouteTable } from '../http.js';
import { registerTaskRoutes } from './tasks.js';
import { registerWorkerRoutes } from './workers.js';
import { registerWorkspaceRoutes } from './workspaces.js';

/** TaskRouter v1: workspaces, workflows, task channels, tasks, workers and task queues. */
export function registerTaskRouterRoutes(route: RouteTable, ctx: Ctx): void {
  registerWorkspaceRoutes(route, ctx);
  registerTaskRoutes(route, ctx);
  registerWorkerRoutes(route, ctx);
}
