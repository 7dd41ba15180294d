import type { FastifyInstance, FastifyReply } from 'fastify';
import { updateChatChannel } from './chat/channels.js';
import { addChatMember, removeChatMember } from './chat/members.js';
import { postChatMessage } from './chat/messages.js';
import { iso, type Ctx } from './context.js';
import { setConversationState } from './conversations/lifecycle.js';
import { addMessage } from './conversations/messages.js';
import { addParticipant, removeParticipant } from './conversations/participants.js';
import { errorBody, TwilioApiError } from './errors.js';
import { normaliseFaults } from './faults.js';
import { closeInteractionChannel } from './flex/interactions.js';
import type { ChatChannel, Conversation, Task } from './state.js';

/**
 * The agent's side of Flex, so the loop closes without Flex: JSON under /sandbox/.
 * No authentication (the stand-in binds to loopback).
 */
export function registerControlRoutes(app: FastifyInstance, ctx: Ctx): void {
  const store = ctx.store;

  const fail = (status: number, message: string) => new TwilioApiError(status, status === 404 ? 20404 : 20001, message);
  const findTask = (sid: string): Task => {
    const t = store.allTasks().find((x) => x.sid === sid);
    if (!t) throw fail(404, `Task ${sid} not found`);
    return t;
  };
  const target = (t: Task): { conv?: Conversation; chat?: ChatChannel } => {
    const attrs = parse(t.attributes);
    if (typeof attrs.conversationSid === 'string') {
      const conv = store.conversations.get(attrs.conversationSid);
      if (!conv) throw fail(404, `Conversation ${attrs.conversationSid} of task ${t.sid} not found`);
      return { conv };
    }
    if (typeof attrs.channelSid === 'string') {
      const chat = store.chatChannels.get(attrs.channelSid);
      if (!chat) throw fail(404, `Chat channel ${attrs.channelSid} of task ${t.sid} not found`);
      return { chat };
    }
    throw fail(400, `Task ${t.sid} has neither conversationSid nor channelSid in its attributes`);
  };
  const view = (t: Task) => {
    const attrs = parse(t.attributes);
    return {
      sid: t.sid,
      workspaceSid: t.workspaceSid,
      assignmentStatus: t.assignmentStatus,
      attributes: attrs,
      taskChannelUniqueName: t.taskChannelUniqueName,
      conversationSid: typeof attrs.conversationSid === 'string' ? attrs.conversationSid : null,
      channelSid: typeof attrs.channelSid === 'string' ? attrs.channelSid : null,
      agent: t.agent,
      priority: t.priority,
      dateCreated: iso(t.dateCreated),
      dateUpdated: iso(t.dateUpdated),
    };
  };
  const body = (raw: unknown): Record<string, unknown> => (raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {});

  app.register(
    async (r) => {
      r.setErrorHandler((err: unknown, _req, reply: FastifyReply) => {
        const e = err instanceof TwilioApiError ? err : new TwilioApiError(400, 20001, (err as Error).message ?? 'Bad request');
        return reply.code(e.status).send(errorBody(e.status, e.code, e.message));
      });

      r.get('/', async () => ({
        accountSid: ctx.accountSid,
        url: ctx.baseUrl,
        seeded: store.seeded,
      }));

      r.get('/tasks', async (req) => {
        const status = (req.query as Record<string, string | undefined>).status;
        const valid = ['pending', 'reserved', 'assigned', 'wrapping', 'completed', 'canceled'];
        if (status !== undefined && !valid.includes(status)) throw fail(400, `status must be one of ${valid.join(', ')}`);
        const tasks = store
          .allTasks()
          .filter((t) => !status || t.assignmentStatus === status)
          .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
        return { tasks: tasks.map(view) };
      });

      r.get<{ Params: { taskSid: string } }>('/tasks/:taskSid', async (req) => view(findTask(req.params.taskSid)));

      r.post<{ Params: { taskSid: string } }>('/tasks/:taskSid/accept', async (req) => {
        const t = findTask(req.params.taskSid);
        if (t.assignmentStatus !== 'pending' && t.assignmentStatus !== 'reserved') {
          throw fail(409, `Task ${t.sid} is ${t.assignmentStatus}, not pending`);
        }
        const agent = String(body(req.body).agent ?? 'agent');
        const { conv, chat } = target(t);
        const flexBackend = { source: 'API' as const, webhookEnabled: true };
        if (conv) {
          const existing = [...conv.participants.values()].find((p) => p.identity === agent);
          const p = existing ?? addParticipant(ctx, conv, { identity: agent, attributes: JSON.stringify({ member_type: 'agent' }) }, flexBackend);
          t.agentParticipantSid = p.sid;
        } else if (chat) {
          const existing = [...chat.members.values()].find((m) => m.identity === agent);
          const m = existing ?? addChatMember(ctx, chat, { identity: agent, attributes: JSON.stringify({ member_type: 'agent' }) }, flexBackend);
          t.agentParticipantSid = m.sid;
        }
        t.assignmentStatus = 'assigned';
        t.agent = agent;
        t.dateUpdated = new Date();
        return view(t);
      });

      r.get<{ Params: { taskSid: string } }>('/tasks/:taskSid/messages', async (req) => {
        const t = findTask(req.params.taskSid);
        const { conv, chat } = target(t);
        if (conv) {
          return {
            conversationSid: conv.sid,
            messages: conv.messages.map((m) => ({
              sid: m.sid,
              index: m.index,
              author: m.author,
              body: m.body,
              source: m.source,
              attributes: parse(m.attributes),
              dateCreated: iso(m.dateCreated),
            })),
          };
        }
        return {
          channelSid: chat!.sid,
          messages: chat!.messages.map((m) => ({
            sid: m.sid,
            index: m.index,
            author: m.from,
            body: m.body,
            source: m.source,
            attributes: parse(m.attributes),
            dateCreated: iso(m.dateCreated),
          })),
        };
      });

      r.post<{ Params: { taskSid: string } }>('/tasks/:taskSid/messages', async (req, reply) => {
        const t = findTask(req.params.taskSid);
        const b = body(req.body);
        if (typeof b.body !== 'string' || b.body === '') throw fail(400, 'body (a non-empty string) is required');
        if (t.assignmentStatus !== 'assigned') throw fail(409, `Task ${t.sid} is ${t.assignmentStatus}; accept it first`);
        const agent = t.agent ?? 'agent';
        const attributes = b.attributes === undefined ? undefined : JSON.stringify(b.attributes);
        const { conv, chat } = target(t);
        const sdk = { source: 'SDK' as const, webhookEnabled: true, clientIdentity: agent };
        reply.code(201);
        if (conv) {
          const m = addMessage(ctx, conv, { author: agent, body: b.body, attributes }, sdk);
          return { sid: m.sid, index: m.index, author: m.author, body: m.body, source: m.source, dateCreated: iso(m.dateCreated) };
        }
        const m = postChatMessage(ctx, chat!, { from: agent, body: b.body, attributes }, sdk);
        return { sid: m.sid, index: m.index, author: m.from, body: m.body, source: m.source, dateCreated: iso(m.dateCreated) };
      });

      r.post<{ Params: { taskSid: string } }>('/tasks/:taskSid/complete', async (req) => {
        const t = findTask(req.params.taskSid);
        if (t.assignmentStatus !== 'assigned' && t.assignmentStatus !== 'wrapping') {
          throw fail(409, `Task ${t.sid} is ${t.assignmentStatus}; only an assigned task can be completed`);
        }
        const { conv, chat } = target(t);
        const flexBackend = { source: 'API' as const, webhookEnabled: true };
        t.assignmentStatus = 'wrapping';
        t.dateUpdated = new Date();
        if (conv) {
          const agentP = t.agentParticipantSid ? conv.participants.get(t.agentParticipantSid) : undefined;
          if (agentP) removeParticipant(ctx, conv, agentP, flexBackend);
          const ichSid = parse(t.attributes).flexInteractionChannelSid;
          const interaction = [...store.interactions.values()].find((i) => typeof ichSid === 'string' && i.channels.has(ichSid));
          const ich = interaction && typeof ichSid === 'string' ? interaction.channels.get(ichSid) : undefined;
          if (ich && ich.status !== 'closed') closeInteractionChannel(ctx, ich, 'closed');
          else if (conv.state !== 'closed') setConversationState(ctx, conv, 'closed', flexBackend);
        } else if (chat) {
          const attrs = { ...parse(chat.attributes), status: 'INACTIVE' };
          updateChatChannel(ctx, chat, { attributes: JSON.stringify(attrs) }, flexBackend);
          const agentM = t.agentParticipantSid ? chat.members.get(t.agentParticipantSid) : undefined;
          if (agentM) removeChatMember(ctx, chat, agentM, flexBackend);
        }
        t.assignmentStatus = 'completed';
        t.reason = 'completed by agent';
        t.dateUpdated = new Date();
        return view(t);
      });

      r.get('/faults', async () => ctx.faults.get());
      r.get('/faults/stats', async () => ctx.faults.stats());
      r.put('/faults', async (req) => {
        ctx.faults.set(normaliseFaults(req.body ?? {}));
        return ctx.faults.get();
      });

      r.get('/webhooks', async () => ({ deliveries: ctx.webhooks.deliveries }));
    },
    { prefix: '/sandbox' },
  );
}

function parse(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
