import type { FastifyInstance, FastifyReply } from 'fastify';

const TASK_SID = /^WT[0-9a-f]{32}$/;
const WORKER_SID = /^WK[0-9a-f]{32}$/;
const TRANSFER_TARGET = /^(WK|WQ)[0-9a-f]{32}$/;
const MAX_REPLY = 32_768;

type Body = Record<string, unknown>;
type Checked = { ok: true; body?: Body } | { ok: false; field: string; message: string };

/** Accept and reject are the signed-in worker's: the stand-in routes a transferred task to one worker only. */
function byWorker(body: Body): Checked {
  if (typeof body.worker !== 'string' || !WORKER_SID.test(body.worker)) return { ok: false, field: '/worker', message: 'must be a worker SID (WK…)' };
  return { ok: true, body: { agent: body.worker } };
}

/** Each task action the agent view may ask for, and the body it sends the stand-in, checked here. */
const ACTIONS: Record<string, (body: Body) => Checked> = {
  accept: byWorker,
  reject: byWorker,
  wrapup: () => ({ ok: true }),
  complete: () => ({ ok: true }),
  read: () => ({ ok: true }),
  transfer: (body) => {
    if (typeof body.targetSid !== 'string' || !TRANSFER_TARGET.test(body.targetSid))
      return { ok: false, field: '/targetSid', message: 'must be a worker (WK…) or queue (WQ…) SID' };
    if (body.mode !== 'COLD' && body.mode !== 'WARM') return { ok: false, field: '/mode', message: 'must be COLD or WARM' };
    return { ok: true, body: { targetSid: body.targetSid, mode: body.mode } };
  },
  messages: (body) => {
    if (typeof body.body !== 'string' || body.body.trim() === '' || body.body.length > MAX_REPLY) {
      return { ok: false, field: '/body', message: `must be a non-empty string of at most ${MAX_REPLY} characters` };
    }
    return { ok: true, body: { body: body.body } };
  },
};

function asObject(raw: unknown): Body {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Body) : {};
}

/**
 * The agent view's same-origin API over the stand-in's control API: tasks, their messages,
 * the agent's task actions, workers and queues. The stand-in's answers pass through.
 */
export function registerControlProxy(app: FastifyInstance, sandboxUrl: string): void {
  const forward = async (reply: FastifyReply, method: 'GET' | 'POST', path: string, body?: Body) => {
    const response = await fetch(`${sandboxUrl}/sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return reply.code(response.status).send(asObject(await response.json().catch(() => ({}))));
  };
  const badTask = (reply: FastifyReply) => reply.code(400).send({ error: { code: 'invalid_task', message: 'not a task SID' } });

  app.get('/api/tasks', (_request, reply) => forward(reply, 'GET', '/tasks'));
  app.get('/api/workers', (_request, reply) => forward(reply, 'GET', '/workers'));
  app.get('/api/queues', (_request, reply) => forward(reply, 'GET', '/queues'));
  app.get<{ Params: { sid: string } }>('/api/tasks/:sid/messages', (request, reply) =>
    TASK_SID.test(request.params.sid) ? forward(reply, 'GET', `/tasks/${request.params.sid}/messages`) : badTask(reply),
  );
  app.post<{ Params: { sid: string; action: string }; Body: unknown }>('/api/tasks/:sid/:action', async (request, reply) => {
    const { sid, action } = request.params;
    if (!TASK_SID.test(sid)) return badTask(reply);
    const check = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!check) return reply.code(404).send({ error: { code: 'not_found', message: `no task action ${action}` } });
    const checked = check(asObject(request.body));
    if (!checked.ok) return reply.code(400).send({ error: { code: 'invalid_body', field: checked.field, message: checked.message } });
    return forward(reply, 'POST', `/tasks/${sid}/${action}`, checked.body ?? {});
  });
}
