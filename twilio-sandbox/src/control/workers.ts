import type { Ctx } from '../context.js';
import type { Worker } from '../state.js';

/** A worker of the workspace named by its SID or friendly name. */
export function findWorker(ctx: Ctx, workspaceSid: string, nameOrSid: string): Worker | undefined {
  const ws = ctx.store.workspaces.get(workspaceSid);
  if (!ws) return undefined;
  return ws.workers.get(nameOrSid) ?? [...ws.workers.values()].find((w) => w.friendlyName === nameOrSid);
}

/** The workers and task queues of the seeded workspace, as the demo's agent view lists them. */
export function workersView(ctx: Ctx) {
  const ws = ctx.store.workspaces.get(ctx.store.seeded.workspaceSid)!;
  return { workers: [...ws.workers.values()].map((w) => ({ sid: w.sid, friendlyName: w.friendlyName, available: w.available })) };
}

export function queuesView(ctx: Ctx) {
  const ws = ctx.store.workspaces.get(ctx.store.seeded.workspaceSid)!;
  return { queues: [...ws.taskQueues.values()].map((q) => ({ sid: q.sid, friendlyName: q.friendlyName })) };
}
