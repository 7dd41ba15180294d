import type { Ctx } from '../context.js';
import type { RouteTable } from '../http.js';
import { childRoutes, resourceRoutes, topLevelCollection } from '../resource-routes.js';
import { findTaskChannel } from '../routing.js';
import { BY_NAME, named, registerNamedCollection } from './named-collections.js';
import { P, workspacePath } from './scope.js';
import { serializeTaskChannel, serializeWorkflow, serializeWorkspace } from './serializers.js';

/** Workspaces, their workflows and task channels: read only, as Flex seeds them. */
export function registerWorkspaceRoutes(route: RouteTable, ctx: Ctx): void {
  const collection = topLevelCollection(P, '/v1/Workspaces', 'WS', ctx.store.workspaces, (w) => serializeWorkspace(ctx, w));
  const workspaces = resourceRoutes(route, ctx, collection);
  workspaces.list({
    key: 'workspaces',
    query: BY_NAME,
    items: (req, all) => named([...all.values()], req.query.get('FriendlyName')),
  });
  workspaces.fetch();

  registerNamedCollection(route, ctx, {
    name: 'Workflows',
    itemSid: 'WW',
    key: 'workflows',
    items: (w) => w.workflows,
    serialize: (_w, x) => serializeWorkflow(ctx, x),
  });

  // A task channel is named by its SID or its unique name.
  const taskChannels = childRoutes(route, ctx, workspacePath(ctx), 'TaskChannels', {
    find: (w, key) => findTaskChannel(w, key),
    serialize: (_w, c) => serializeTaskChannel(ctx, c),
  });
  taskChannels.list({ key: 'channels', items: (_req, w) => [...w.taskChannels.values()] });
  taskChannels.fetch();
}
