import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { claimMedia } from '../media/attach.js';
import { passThroughBodies, storeUpload, uploadType } from '../media/routes.js';
import { assignedAgent, controlError, findTask, postAgentMessage, taskServiceSid } from './agent.js';

type MediaRoute = { Params: { taskSid: string }; Querystring: { filename?: string } };

/**
 * `POST /sandbox/tasks/:taskSid/media?filename=invoice.pdf`, the raw file as the body: what
 * Flex does when the agent attaches a file. The file goes to the Media Content Service (author:
 * the agent), then a message with its MediaSid is sent through the SDK.
 */
export function registerAgentMediaRoute(r: FastifyInstance, ctx: Ctx): void {
  r.register(async (sub) => {
    passThroughBodies(sub);
    sub.post<MediaRoute>('/tasks/:taskSid/media', async (req, reply) => {
      const t = findTask(ctx, req.params.taskSid);
      const author = assignedAgent(t);
      const serviceSid = taskServiceSid(ctx, t);
      const contentType = uploadType(req);
      const filename = req.query.filename?.slice(0, 255) || null;
      const item = await storeUpload(ctx, { serviceSid, contentType, filename, author, bytes: req.raw });
      const message = postAgentMessage(ctx, t, undefined, undefined, claimMedia(ctx, serviceSid, item.sid));
      return reply.code(201).send(message);
    });
    // What Flex shows the agent of a message's file: its content, as Flex fetches it for the agent.
    sub.get<{ Params: { mediaSid: string } }>('/media/:mediaSid', async (req, reply) => {
      const item = ctx.media.get(req.params.mediaSid);
      if (!item) throw controlError(404, `Media ${req.params.mediaSid} not found`);
      reply.header('Content-Length', String(item.size)).type(item.contentType);
      return reply.send(ctx.media.open(item));
    });
  });
}
