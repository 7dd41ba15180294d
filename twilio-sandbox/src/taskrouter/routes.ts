import type { Ctx } from '../context.js';
import type { RouteTable } from '../http.js';
import { registerTaskRoutes } from './tasks.js';
import { registerWorkspaceRoutes } from './workspaces.js';

/** TaskRouter v1: workspaces, workflows, task channels and tasks. */
export function registerTaskRouterRoutes(route: RouteTable, ctx: Ctx): void {
  registerWorkspaceRoutes(route, ctx);
  registerTaskRoutes(route, ctx);
}
