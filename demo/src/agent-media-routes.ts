import type { ChannelDefinition } from '@custom-channels/contract';
import type { FastifyInstance } from 'fastify';
import { mediaPolicies, taskChannelType, uploadRefusal } from './agent-flex/media-policy.js';

const TASK_SID = /^WT[0-9a-f]{32}$/;
const MEDIA_SID = /^ME[0-9a-f]{32}$/;
/** Flex's own limit for a chat attachment. */
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * The agent view's attachments, over the stand-in's control API: what each channel takes
 * (GET /api/channels/media, from channels.json, so the page checks a file before sending
 * it), a message's file to show (GET /api/media/:mediaSid) and the agent's upload
 * (POST /api/tasks/:sid/media?filename=, the raw file as the body, checked against the
 * task's channel), streamed both ways.
 */
export async function agentMediaRoutes(app: FastifyInstance, options: { sandboxUrl: string; channels: ChannelDefinition[] }): Promise<void> {
  app.addContentTypeParser('*', { bodyLimit: MAX_BYTES }, (_request, _payload, done) => done(null));

  const policies = mediaPolicies(options.channels);
  app.get('/api/channels/media', async () => ({ channels: policies }));

  app.get<{ Params: { mediaSid: string } }>('/api/media/:mediaSid', async (request, reply) => {
    if (!MEDIA_SID.test(request.params.mediaSid)) return reply.code(400).send({ error: { code: 'invalid_media', message: 'not a Media SID' } });
    const response = await fetch(`${options.sandboxUrl}/sandbox/media/${request.params.mediaSid}`, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok || !response.body) return reply.code(response.status).send({ error: { code: 'media_unavailable', message: 'no such file' } });
    const type = response.headers.get('content-type') ?? 'application/octet-stream';
    reply
      .type(type)
      .header('content-disposition', /^image\/(png|jpeg|gif|webp)\b/.test(type) ? 'inline' : 'attachment')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'");
    return reply.send(response.body);
  });

  app.post<{ Params: { sid: string }; Querystring: { filename?: string } }>('/api/tasks/:sid/media', async (request, reply) => {
    if (!TASK_SID.test(request.params.sid)) return reply.code(400).send({ error: { code: 'invalid_task', message: 'not a task SID' } });
    const type = request.headers['content-type'];
    if (!type) return reply.code(400).send({ error: { code: 'invalid_body', message: 'send the file with its Content-Type' } });
    const task = await fetch(`${options.sandboxUrl}/sandbox/tasks/${request.params.sid}`, { signal: AbortSignal.timeout(10_000) });
    if (!task.ok) return reply.code(task.status).send(await task.json().catch(() => ({ error: { code: 'task_unavailable', message: 'no such task' } })));
    const { attributes } = (await task.json()) as { attributes: Record<string, unknown> };
    const channelType = taskChannelType(attributes);
    const length = request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length']);
    const refusal = uploadRefusal(channelType === undefined ? undefined : policies[channelType], type, length);
    if (refusal) return reply.code(refusal.status).send({ error: { code: refusal.code, message: refusal.message } });
    const filename = encodeURIComponent((request.query.filename ?? 'file').slice(0, 255));
    const response = await fetch(`${options.sandboxUrl}/sandbox/tasks/${request.params.sid}/media?filename=${filename}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: request.raw as unknown as ReadableStream,
      duplex: 'half',
      signal: AbortSignal.timeout(60_000),
    } as RequestInit);
    return reply.code(response.status).send(await response.json());
  });
}
