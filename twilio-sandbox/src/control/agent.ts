import { iso, type Ctx } from '../context.js';
import { contentText } from '../content/contents.js';
import { setConversationState } from '../conversations/lifecycle.js';
import { addMessage } from '../conversations/messages.js';
import { addParticipant, removeParticipant } from '../conversations/participants.js';
import { TwilioApiError } from '../errors.js';
import type { EventOrigin } from '../event-origin.js';
import { closeInteractionChannel } from '../flex/interactions.js';
import { jsonObject } from '../json.js';
import type { Conversation, MessageMedia, Task } from '../state.js';
import { afterAccept } from './handover.js';
import { findWorker } from './workers.js';

// What Flex does for the agent: accept a task, read and write its messages, complete it.

/** Flex's own REST calls: service-level webhooks fire for them. */
const FLEX_BACKEND: EventOrigin = { source: 'API', webhookEnabled: true };
const AGENT_ATTRIBUTES = JSON.stringify({ member_type: 'agent' });

export const controlError = (status: number, message: string) => new TwilioApiError(status, status === 404 ? 20404 : 20001, message);

export function findTask(ctx: Ctx, sid: string): Task {
  const t = ctx.store.allTasks().find((x) => x.sid === sid);
  if (!t) throw controlError(404, `Task ${sid} not found`);
  return t;
}

/** The conversation a task routes, from its attributes. */
export function taskConversation(ctx: Ctx, t: Task): Conversation {
  const attrs = jsonObject(t.attributes);
  if (typeof attrs.conversationSid !== 'string') throw controlError(400, `Task ${t.sid} has no conversationSid in its attributes`);
  const conv = ctx.store.conversations.get(attrs.conversationSid);
  if (!conv) throw controlError(404, `Conversation ${attrs.conversationSid} of task ${t.sid} not found`);
  return conv;
}

export function taskView(t: Task) {
  const attrs = jsonObject(t.attributes);
  return {
    sid: t.sid,
    workspaceSid: t.workspaceSid,
    assignmentStatus: t.assignmentStatus,
    attributes: attrs,
    taskChannelUniqueName: t.taskChannelUniqueName,
    conversationSid: typeof attrs.conversationSid === 'string' ? attrs.conversationSid : null,
    agent: t.agent,
    workerSid: t.workerSid,
    taskQueueSid: t.taskQueueSid,
    transferredFrom: t.transferredFrom,
    priority: t.priority,
    dateCreated: iso(t.dateCreated),
    dateUpdated: iso(t.dateUpdated),
  };
}

/**
 * The agent joins the conversation (a participant), once. The agent
 * is a worker's friendly name or SID, or any other name (a plain agent with no worker).
 */
export function acceptTask(ctx: Ctx, t: Task, agentName: string): void {
  if (t.assignmentStatus !== 'pending' && t.assignmentStatus !== 'reserved') {
    throw controlError(409, `Task ${t.sid} is ${t.assignmentStatus}, not pending`);
  }
  const worker = findWorker(ctx, t.workspaceSid, agentName);
  if (t.routingTarget && t.routingTarget !== worker?.sid) throw controlError(409, `Task ${t.sid} is routed to worker ${t.routingTarget} only`);
  const agent = worker?.friendlyName ?? agentName;
  const conv = taskConversation(ctx, t);
  const existing = [...conv.participants.values()].find((p) => p.identity === agent);
  t.agentParticipantSid = (existing ?? addParticipant(ctx, conv, { identity: agent, attributes: AGENT_ATTRIBUTES }, FLEX_BACKEND)).sid;
  t.assignmentStatus = 'assigned';
  t.agent = agent;
  t.workerSid = worker?.sid ?? null;
  t.dateUpdated = new Date();
  afterAccept(ctx, t);
}

/** What the control API shows of a message. */
interface StoredMessage {
  sid: string;
  index: number;
  body: string | null;
  source: string;
  attributes: string;
  media?: MessageMedia | null;
  contentSid?: string | null;
  dateCreated: Date;
}

function messageView(m: StoredMessage, author: string) {
  return {
    sid: m.sid,
    index: m.index,
    author,
    body: m.body,
    source: m.source,
    ...(m.media ? { media: m.media } : {}),
    ...(m.contentSid ? { contentSid: m.contentSid } : {}),
    dateCreated: iso(m.dateCreated),
  };
}

/** A message in the transcript; one sent with a Content template also carries the template's text, as Flex shows it. */
function transcriptEntry(ctx: Ctx, m: StoredMessage, author: string) {
  const { dateCreated, ...rest } = messageView(m, author);
  const template = m.contentSid ? ctx.store.contents.get(m.contentSid) : undefined;
  const content = m.contentSid ? { content: { sid: m.contentSid, text: (template && contentText(template)) ?? null } } : {};
  return { ...rest, ...content, attributes: jsonObject(m.attributes), dateCreated };
}

/** The messages of the task's conversation, oldest first, and how far each participant has read. */
export function taskMessages(ctx: Ctx, t: Task) {
  const conv = taskConversation(ctx, t);
  const readHorizons = [...conv.participants.values()].map((p) => ({ identity: p.identity, lastReadMessageIndex: p.lastReadMessageIndex }));
  return { conversationSid: conv.sid, messages: conv.messages.map((m) => transcriptEntry(ctx, m, m.author)), readHorizons };
}

/** The service whose Media Content Service holds the task's files. */
export function taskServiceSid(ctx: Ctx, t: Task): string {
  return taskConversation(ctx, t).serviceSid;
}

/** The agent's identity, once the task is theirs. */
export function assignedAgent(t: Task): string {
  if (t.assignmentStatus !== 'assigned') throw controlError(409, `Task ${t.sid} is ${t.assignmentStatus}; accept it first`);
  return t.agent ?? 'agent';
}

/** A message by the agent through the SDK (`Source=SDK`, `ClientIdentity` = the agent). */
export function postAgentMessage(ctx: Ctx, t: Task, body: string | undefined, attributes: string | undefined, media?: MessageMedia) {
  const agent = assignedAgent(t);
  const sdk: EventOrigin = { source: 'SDK', webhookEnabled: true, clientIdentity: agent };
  const m = addMessage(ctx, taskConversation(ctx, t), { author: agent, body, attributes, media }, sdk);
  return messageView(m, m.author);
}

/**
 * Wrap-up then completion; the agent leaves and the conversation closes, unless another agent's
 * task on it is still open (a transfer): then only this agent is done.
 */
export function completeTask(ctx: Ctx, t: Task): void {
  if (t.assignmentStatus !== 'assigned' && t.assignmentStatus !== 'wrapping') {
    throw controlError(409, `Task ${t.sid} is ${t.assignmentStatus}; only an assigned task can be completed`);
  }
  endAgentSession(ctx, t);
  t.assignmentStatus = 'completed';
  t.reason = 'completed by agent';
  t.dateUpdated = new Date();
}

/** The agent's end of the chat: alone on it, the chat ends; with a transfer's task still open, only the agent leaves. */
export function endAgentSession(ctx: Ctx, t: Task): void {
  const conv = taskConversation(ctx, t);
  t.assignmentStatus = 'wrapping';
  t.dateUpdated = new Date();
  if (othersOpen(ctx, t)) leaveChat(ctx, t, conv);
  else closeConversationOf(ctx, t, conv);
}

function othersOpen(ctx: Ctx, t: Task): boolean {
  const attrs = jsonObject(t.attributes);
  const open = ['pending', 'reserved', 'assigned'];
  return ctx.store.allTasks().some((o) => {
    if (o.sid === t.sid || !open.includes(o.assignmentStatus)) return false;
    return attrs.conversationSid !== undefined && jsonObject(o.attributes).conversationSid === attrs.conversationSid;
  });
}

function leaveChat(ctx: Ctx, t: Task, conv: Conversation): void {
  const participant = t.agentParticipantSid ? conv.participants.get(t.agentParticipantSid) : undefined;
  if (participant && conv.state !== 'closed') removeParticipant(ctx, conv, participant, FLEX_BACKEND);
}

function closeConversationOf(ctx: Ctx, t: Task, conv: Conversation): void {
  const agent = t.agentParticipantSid ? conv.participants.get(t.agentParticipantSid) : undefined;
  if (agent && conv.state !== 'closed') removeParticipant(ctx, conv, agent, FLEX_BACKEND);
  const ichSid = jsonObject(t.attributes).flexInteractionChannelSid;
  const interaction = [...ctx.store.interactions.values()].find((i) => typeof ichSid === 'string' && i.channels.has(ichSid));
  const ich = interaction && typeof ichSid === 'string' ? interaction.channels.get(ichSid) : undefined;
  if (ich && ich.status !== 'closed') closeInteractionChannel(ctx, ich, 'closed');
  else if (conv.state !== 'closed') setConversationState(ctx, conv, 'closed', FLEX_BACKEND);
}
