import { seedAgents, type Worker } from './seed-agents.js';
import { stableSid } from './sids.js';

/** In-memory state of one stand-in account. Plain records; serializers shape responses. */

export type { Worker };

export type ConversationState = 'initializing' | 'inactive' | 'active' | 'closed';

export interface ConvService {
  sid: string;
  friendlyName: string;
  dateCreated: Date;
  dateUpdated: Date;
  webhooks: WebhookConfig;
}

export interface WebhookConfig {
  preWebhookUrl: string | null;
  postWebhookUrl: string | null;
  filters: string[];
  method: 'GET' | 'POST';
  target?: 'webhook' | 'flex';
}

/** A service's (or the account's) webhook configuration before any is set. */
export function noWebhooks(): WebhookConfig {
  return { preWebhookUrl: null, postWebhookUrl: null, filters: [], method: 'POST' };
}

export interface Conversation {
  sid: string;
  serviceSid: string;
  messagingServiceSid: string | null;
  friendlyName: string | null;
  uniqueName: string | null;
  attributes: string;
  state: ConversationState;
  timers: { inactive?: string; closed?: string; dateInactive?: Date; dateClosed?: Date };
  timerHandles: { inactive?: NodeJS.Timeout; closed?: NodeJS.Timeout };
  dateCreated: Date;
  dateUpdated: Date;
  createdBy: string | null;
  participants: Map<string, Participant>;
  messages: Message[];
  nextIndex: number;
  webhooks: Map<string, ScopedWebhook>;
}

export interface Participant {
  sid: string;
  conversationSid: string;
  identity: string | null;
  attributes: string;
  messagingBinding: Record<string, string> | null;
  roleSid: string | null;
  dateCreated: Date;
  dateUpdated: Date;
  lastReadMessageIndex: number | null;
  lastReadTimestamp: string | null;
}

/** What a message keeps of its attached file. */
export interface MessageMedia {
  sid: string;
  size: number;
  contentType: string;
  filename: string | null;
}

export interface Message {
  sid: string;
  conversationSid: string;
  index: number;
  author: string;
  body: string | null;
  attributes: string;
  participantSid: string | null;
  media?: MessageMedia | null;
  /** The Content template (HX...) the message was posted with; not checked to exist, as it may be deleted later. */
  contentSid?: string | null;
  source: 'API' | 'SDK';
  dateCreated: Date;
  dateUpdated: Date;
}

/** What a conversation-scoped webhook calls: its `Configuration.*` in the API. */
export interface ChannelWebhookConfig {
  url: string | null;
  method: 'GET' | 'POST';
  filters: string[];
  triggers: string[];
  flowSid: string | null;
}

export interface ScopedWebhook extends ChannelWebhookConfig {
  sid: string;
  conversationSid: string;
  target: 'webhook' | 'trigger' | 'studio';
  replayAfter: number | null;
  dateCreated: Date;
  dateUpdated: Date;
  /** A studio webhook runs its flow once, on the first matching message. */
  executed?: boolean;
}

export interface FlexFlow {
  sid: string;
  friendlyName: string;
  chatServiceSid: string;
  channelType: string;
  contactIdentity: string | null;
  enabled: boolean;
  integrationType: 'studio' | 'external' | 'task' | null;
  integration: { flowSid?: string; url?: string; workspaceSid?: string; workflowSid?: string; channel?: string };
  dateCreated: Date;
  dateUpdated: Date;
}

export interface Interaction {
  sid: string;
  channel: Record<string, unknown>;
  routing: Record<string, unknown>;
  interactionContextSid: string | null;
  webhookTtid: string | null;
  channels: Map<string, InteractionChannel>;
}

export interface InteractionChannel {
  sid: string;
  interactionSid: string;
  type: string;
  status: 'setup' | 'active' | 'failed' | 'closed' | 'inactive';
  mediaChannelSid: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  participants: Map<string, InteractionParticipant>;
  invites: Map<string, InteractionInvite>;
  transfers: Map<string, InteractionTransfer>;
}

export type InteractionParticipantType = 'supervisor' | 'customer' | 'external' | 'agent' | 'unknown';

/** Someone on an interaction channel; an agent's routing properties name its task and worker. */
export interface InteractionParticipant {
  sid: string;
  type: InteractionParticipantType;
  status: 'active' | 'wrapup' | 'closed';
  mediaProperties: Record<string, unknown>;
  routingProperties: Record<string, unknown> | null;
}

export interface InteractionInvite {
  sid: string;
  routing: Record<string, unknown>;
  taskSid: string;
}

export interface InteractionTransfer {
  sid: string;
  type: 'warm' | 'cold';
  status: 'active' | 'failed' | 'completed';
  /** The UT participant of the transferring agent. */
  from: string;
  /** The worker (WK) or queue (WQ) transferred to. */
  to: string;
  taskSid: string;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface Workspace {
  sid: string;
  friendlyName: string;
  eventCallbackUrl: string | null;
  defaultActivitySid: string;
  timeoutActivitySid: string;
  dateCreated: Date;
  dateUpdated: Date;
  workflows: Map<string, Workflow>;
  taskChannels: Map<string, TaskChannel>;
  taskQueues: Map<string, TaskQueue>;
  tasks: Map<string, Task>;
  workers: Map<string, Worker>;
}

export interface Workflow {
  sid: string;
  workspaceSid: string;
  friendlyName: string;
  configuration: string;
  assignmentCallbackUrl: string | null;
  fallbackAssignmentCallbackUrl: string | null;
  taskReservationTimeout: number;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface TaskChannel {
  sid: string;
  workspaceSid: string;
  friendlyName: string;
  uniqueName: string;
  channelOptimizedRouting: boolean;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface TaskQueue {
  sid: string;
  friendlyName: string;
}

export type AssignmentStatus = 'pending' | 'reserved' | 'assigned' | 'canceled' | 'completed' | 'wrapping';

export interface Task {
  sid: string;
  workspaceSid: string;
  workflowSid: string | null;
  workflowFriendlyName: string | null;
  taskQueueSid: string | null;
  taskQueueFriendlyName: string | null;
  taskChannelSid: string;
  taskChannelUniqueName: string;
  attributes: string;
  assignmentStatus: AssignmentStatus;
  priority: number;
  timeout: number;
  reason: string | null;
  routingTarget: string | null;
  /** The agent (worker identity) who accepted the task, through the control API. */
  agent: string | null;
  /** The participant or member the agent joined as. */
  agentParticipantSid: string | null;
  /** The worker the agent is, when the agent is one. */
  workerSid: string | null;
  /** The task this one was transferred from. */
  transferredFrom: string | null;
  dateCreated: Date;
  dateUpdated: Date;
  virtualStartTime: Date;
}

export interface StudioFlow {
  sid: string;
  friendlyName: string;
  definition: Record<string, unknown>;
  status: 'draft' | 'published';
  revision: number;
  commitMessage: string | null;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface Seeded {
  conversationsServiceSid: string;
  workspaceSid: string;
  workflowSid: string;
  chatTaskChannelSid: string;
}

/** A Content API template (HX...): its `types` keyed by content type, its variables' defaults. */
export interface ContentTemplate {
  sid: string;
  friendlyName: string;
  language: string;
  variables: Record<string, string>;
  types: Record<string, unknown>;
  dateCreated: Date;
  dateUpdated: Date;
}

export class SandboxState {
  readonly convServices = new Map<string, ConvService>();
  readonly conversations = new Map<string, Conversation>();
  /** Conversations by service and unique name: a lookup per create, not a scan of every conversation. */
  private readonly byUniqueName = new Map<string, Conversation>();
  readonly flexFlows = new Map<string, FlexFlow>();
  readonly interactions = new Map<string, Interaction>();
  readonly workspaces = new Map<string, Workspace>();
  readonly flows = new Map<string, StudioFlow>();
  readonly contents = new Map<string, ContentTemplate>();
  readonly configuration: {
    defaultChatServiceSid: string;
    defaultMessagingServiceSid: string;
    defaultInactiveTimer: string | null;
    defaultClosedTimer: string | null;
    webhooks: WebhookConfig;
  };
  readonly seeded: Seeded;

  constructor(readonly accountSid: string) {
    const now = new Date();
    const sid = (prefix: string, label: string) => stableSid(prefix, `${accountSid}:${label}`);
    const convServiceSid = sid('IS', 'conversations-service');
    this.convServices.set(convServiceSid, {
      sid: convServiceSid,
      friendlyName: 'Flex Conversation Service',
      dateCreated: now,
      dateUpdated: now,
      webhooks: noWebhooks(),
    });
    this.configuration = {
      defaultChatServiceSid: convServiceSid,
      defaultMessagingServiceSid: sid('MG', 'messaging-service'),
      defaultInactiveTimer: null,
      defaultClosedTimer: null,
      webhooks: { ...noWebhooks(), target: 'webhook' },
    };
    const workspaceSid = sid('WS', 'workspace');
    const workflowSid = sid('WW', 'workflow');
    const queueSid = sid('WQ', 'queue-everyone');
    const workspace: Workspace = {
      sid: workspaceSid,
      friendlyName: 'Flex Task Assignment',
      eventCallbackUrl: null,
      defaultActivitySid: sid('WA', 'activity-offline'),
      timeoutActivitySid: sid('WA', 'activity-offline'),
      dateCreated: now,
      dateUpdated: now,
      workflows: new Map(),
      taskChannels: new Map(),
      taskQueues: new Map([[queueSid, { sid: queueSid, friendlyName: 'Everyone' }]]),
      tasks: new Map(),
      workers: new Map(),
    };
    seedAgents(workspace, sid, now);
    workspace.workflows.set(workflowSid, {
      sid: workflowSid,
      workspaceSid,
      friendlyName: 'Assign to Anyone',
      configuration: JSON.stringify({
        task_routing: { filters: [], default_filter: { queue: queueSid } },
      }),
      assignmentCallbackUrl: null,
      fallbackAssignmentCallbackUrl: null,
      taskReservationTimeout: 120,
      dateCreated: now,
      dateUpdated: now,
    });
    const channels: Array<[string, string]> = [
      ['default', 'Default'],
      ['voice', 'Voice'],
      ['chat', 'Programmable Chat'],
      ['sms', 'SMS'],
      ['video', 'Video'],
      ['email', 'Email'],
    ];
    for (const [uniqueName, friendlyName] of channels) {
      const tcSid = sid('TC', `task-channel-${uniqueName}`);
      workspace.taskChannels.set(tcSid, {
        sid: tcSid,
        workspaceSid,
        friendlyName,
        uniqueName,
        channelOptimizedRouting: uniqueName === 'chat',
        dateCreated: now,
        dateUpdated: now,
      });
    }
    this.workspaces.set(workspaceSid, workspace);
    this.seeded = {
      conversationsServiceSid: convServiceSid,
      workspaceSid,
      workflowSid,
      chatTaskChannelSid: sid('TC', 'task-channel-chat'),
    };
  }

  /** Finds a conversation by SID or unique name (as Twilio's path parameter allows). */
  findConversation(sidOrUniqueName: string, serviceSid?: string): Conversation | undefined {
    const bySid = this.conversations.get(sidOrUniqueName);
    if (bySid && (!serviceSid || bySid.serviceSid === serviceSid)) return bySid;
    if (serviceSid) return this.conversationNamed(serviceSid, sidOrUniqueName);
    for (const c of this.conversations.values()) {
      if (c.uniqueName === sidOrUniqueName) return c;
    }
    return undefined;
  }

  /** The service's conversation with this unique name, if any. */
  conversationNamed(serviceSid: string, uniqueName: string): Conversation | undefined {
    return this.byUniqueName.get(uniqueNameKey(serviceSid, uniqueName));
  }

  addConversation(c: Conversation): void {
    this.conversations.set(c.sid, c);
    if (c.uniqueName) this.byUniqueName.set(uniqueNameKey(c.serviceSid, c.uniqueName), c);
  }

  renameConversation(c: Conversation, uniqueName: string | null): void {
    if (c.uniqueName) this.byUniqueName.delete(uniqueNameKey(c.serviceSid, c.uniqueName));
    c.uniqueName = uniqueName;
    if (uniqueName) this.byUniqueName.set(uniqueNameKey(c.serviceSid, uniqueName), c);
  }

  removeConversation(c: Conversation): void {
    this.conversations.delete(c.sid);
    if (c.uniqueName) this.byUniqueName.delete(uniqueNameKey(c.serviceSid, c.uniqueName));
  }

  /** Every task of every workspace. */
  allTasks(): Task[] {
    return [...this.workspaces.values()].flatMap((w) => [...w.tasks.values()]);
  }
}

const uniqueNameKey = (serviceSid: string, uniqueName: string) => `${serviceSid}/${uniqueName}`;
