import type { Ctx } from '../context.js';
import { found, type ApiRequest } from '../http.js';
import type { ParentPath } from '../resource-routes.js';
import type { Workspace } from '../state.js';

export const P = 'taskrouter';

/** The workspace `:WorkspaceSid` names: the parent of its workflows, task channels and tasks. */
export function workspacePath(ctx: Ctx): ParentPath<Workspace> {
  const parent = (req: ApiRequest) => found(req, ctx.store.workspaces.get(req.params.WorkspaceSid!));
  return { product: P, path: '/v1/Workspaces/:WorkspaceSid', sids: { WorkspaceSid: 'WS' }, parent };
}
