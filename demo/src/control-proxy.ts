import type { FastifyInstance, FastifyReply } from 'fastify';

const TASK_SID = /^WT[0-9a-f]{32}$/;
const TRANSFER_TARGET = /^(WK|WQ)[0-9a-f]{32}$/;
const MAX_REPLY = 32_768;
/** The agent's identity in the stand-in's conversations. */
export const DEMO_AGENT = 'agent';

type Body = Record<string, unknown>;
type Checked = { ok: true; body?: Body } | { ok: false; field: string; message: string };

/** Each task action the agent view may ask for, and the body it sends the stand-in, checked here. */
const ACTIONS: Record<string, (body: Body) => Checked> = {
  accept: () => ({ ok: true, body: { agent: DEMO_AGENT } }),
  reject: () => ({ ok: true, body: { agent: DEMO_AGENT } }),
  wrapup: () => ({ ok: true }),
  complete: () => ({ ok: true, body: { agent: DEMO_AGENT } }),
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
 * the agent's task actions, workers and queues. A route the stand-in does not have (an
 * older stand-in) answers 501 with code not_supported, so the page can say so.
 */
export function registerControlProxy(app: FastifyInstance, sandboxUrl: string): void {
  const forward = async (reply: FastifyReply, method: 'GET' | 'POST', path: string, body?: Body) => {
    const response = await fetch(`${sandboxUrl}/sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = asObject(await response.json().catch(() => ({})));
    // The stand-in's answer for a route it does not have names the path; a missing task names the task.
    if (response.status === 404 && typeof answer.message === 'string' && answer.message.includes(`/sandbox${path} `)) {
      return reply
        .code(501)
        .send({ error: { code: 'not_supported', message: `the Twilio stand-in has no ${method} /sandbox${path.replace(/WT[0-9a-f]{32}/, ':taskSid')}` } });
    }
    return reply.code(response.status).send(answer);
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
