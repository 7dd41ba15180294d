import type { Ctx } from '../context.js';
import { found, type ApiRequest } from '../http.js';
import type { Resource } from '../resource-routes.js';
import type { Workspace } from '../state.js';

export const P = 'taskrouter';

/** A collection below a workspace, e.g. `/v1/Workspaces/{WS}/Tasks`. */
export function workspaceChild<Item>(
  ctx: Ctx,
  collection: string,
  r: Pick<Resource<Workspace, Item>, 'itemSid' | 'find' | 'serialize'>,
): Resource<Workspace, Item> {
  return {
    product: P,
    path: `/v1/Workspaces/:WorkspaceSid/${collection}`,
    sids: { WorkspaceSid: 'WS' },
    parent: (req: ApiRequest) => found(req, ctx.store.workspaces.get(req.params.WorkspaceSid!)),
    ...r,
  };
}
