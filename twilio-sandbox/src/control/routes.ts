import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Ctx } from '../context.js';
import { errorBody, TwilioApiError } from '../errors.js';
import { normaliseFaults } from '../faults.js';
import { registerHandoverRoutes } from './handover-routes.js';
import { jsonBody, type TaskRoute } from './request.js';
import { queuesView, workersView } from './workers.js';
import { registerAgentMediaRoute } from './media-routes.js';
import { registerFlexTokenControl } from '../iam/routes.js';
import { acceptTask, completeTask, controlError, findTask, postAgentMessage, taskMessages, taskView } from './agent.js';

const STATUSES = ['pending', 'reserved', 'assigned', 'wrapping', 'completed', 'canceled'];

/**
 * The agent's side of Flex, so the loop closes without Flex: JSON under /sandbox/.
 * No authentication (the stand-in binds to loopback).
 */
export function registerControlRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.register(
    async (r) => {
      r.setErrorHandler((err: unknown, _req, reply: FastifyReply) => {
        const e = err instanceof TwilioApiError ? err : new TwilioApiError(400, 20001, (err as Error).message ?? 'Bad request');
        return reply.code(e.status).send(errorBody(e.status, e.code, e.message));
      });
      r.get('/', async () => ({ accountSid: ctx.accountSid, url: ctx.baseUrl, seeded: ctx.store.seeded }));
      r.get('/workers', async () => workersView(ctx));
      r.get('/queues', async () => queuesView(ctx));
      registerTaskRoutes(r, ctx);
      registerHandoverRoutes(r, ctx);
      registerAgentMediaRoute(r, ctx);
      registerFlexTokenControl(r, ctx);
      r.get('/faults', async () => ctx.faults.get());
      r.get('/faults/stats', async () => ctx.faults.stats());
      r.put('/faults', async (req) => {
        ctx.faults.set(normaliseFaults(req.body ?? {}));
        return ctx.faults.get();
      });
      r.get('/webhooks', async () => ({ deliveries: ctx.webhooks.deliveries }));
      // Answers once every webhook and background job has run: a test in another process settles on it.
      r.get('/idle', async () => {
        await ctx.scheduler.idle();
        return { idle: true };
      });
    },
    { prefix: '/sandbox' },
  );
}

function registerTaskRoutes(r: FastifyInstance, ctx: Ctx): void {
  r.get('/tasks', async (req) => {
    const status = (req.query as Record<string, string | undefined>).status;
    if (status !== undefined && !STATUSES.includes(status)) throw controlError(400, `status must be one of ${STATUSES.join(', ')}`);
    const tasks = ctx.store
      .allTasks()
      .filter((t) => !status || t.assignmentStatus === status)
      .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
    return { tasks: tasks.map(taskView) };
  });
  r.get<TaskRoute>('/tasks/:taskSid', async (req) => taskView(findTask(ctx, req.params.taskSid)));
  r.post<TaskRoute>('/tasks/:taskSid/accept', async (req) => {
    const t = findTask(ctx, req.params.taskSid);
    acceptTask(ctx, t, String(jsonBody(req.body).agent ?? 'agent'));
    return taskView(t);
  });
  r.get<TaskRoute>('/tasks/:taskSid/messages', async (req) => taskMessages(ctx, findTask(ctx, req.params.taskSid)));
  r.post<TaskRoute>('/tasks/:taskSid/messages', async (req, reply) => {
    const t = findTask(ctx, req.params.taskSid);
    const b = jsonBody(req.body);
    if (typeof b.body !== 'string' || b.body === '') throw controlError(400, 'body (a non-empty string) is required');
    const message = postAgentMessage(ctx, t, b.body, b.attributes === undefined ? undefined : JSON.stringify(b.attributes));
    reply.code(201);
    return message;
  });
  r.post<TaskRoute>('/tasks/:taskSid/complete', async (req) => {
    const t = findTask(ctx, req.params.taskSid);
    completeTask(ctx, t);
    return taskView(t);
  });
}
