import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { controlError, findTask, taskView } from './agent.js';
import { jsonBody, type TaskRoute } from './request.js';
import { readAsAgent, rejectTask, transferTask, wrapupTask, type TransferMode } from './transfer-actions.js';

const MODES: TransferMode[] = ['COLD', 'WARM'];

/** Reject, wrap-up, transfer and read: the rest of what Flex's agent does with a task. */
export function registerHandoverRoutes(r: FastifyInstance, ctx: Ctx): void {
  r.post<TaskRoute>('/tasks/:taskSid/reject', async (req) => {
    const t = findTask(ctx, req.params.taskSid);
    rejectTask(ctx, t, String(jsonBody(req.body).agent ?? 'agent'));
    return taskView(t);
  });
  r.post<TaskRoute>('/tasks/:taskSid/wrapup', async (req) => {
    const t = findTask(ctx, req.params.taskSid);
    wrapupTask(ctx, t);
    return taskView(t);
  });
  r.post<TaskRoute>('/tasks/:taskSid/transfer', async (req, reply) => {
    const t = findTask(ctx, req.params.taskSid);
    const b = jsonBody(req.body);
    if (typeof b.targetSid !== 'string' || !/^(WK|WQ)[0-9a-f]{32}$/.test(b.targetSid))
      throw controlError(400, 'targetSid (a worker WK... or a queue WQ...) is required');
    const mode = b.mode ?? 'COLD';
    if (!MODES.includes(mode as TransferMode)) throw controlError(400, `mode must be one of ${MODES.join(', ')}`);
    const next = transferTask(ctx, t, b.targetSid, mode as TransferMode);
    reply.code(201);
    return taskView(next);
  });
  r.post<TaskRoute>('/tasks/:taskSid/read', async (req) => readAsAgent(ctx, findTask(ctx, req.params.taskSid)));
}
