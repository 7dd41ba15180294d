import type { Ctx, StudioFlows } from '../context.js';
import { addMessage } from '../conversations/messages.js';
import { jsonValue } from '../json.js';
import { createConversationTask, createInteraction } from '../routing.js';
import { newSid } from '../sids.js';
import type { Conversation, StudioFlow, Workspace } from '../state.js';
import { renderTemplate } from './liquid.js';

interface Widget {
  name: string;
  type: string;
  transitions?: Array<{ event: string; next?: string }>;
  properties?: Record<string, unknown>;
}

interface FlowActions {
  sendToFlex(input: {
    workspace: Workspace;
    workflowSid: string;
    taskChannel: string;
    attributes: Record<string, unknown>;
    priority?: number;
    timeout?: number;
  }): void;
  sendMessage(body: string, from?: string): void;
}

/** Renders a widget property as a template against the execution's scope; a missing one is ''. */
type Render = (value: unknown) => string;

/**
 * Executes a Studio flow definition, as far as a "Send to Flex" flow needs: from the
 * trigger widget along the transition for the incoming event, through `set-variables`,
 * `send-message` and `send-to-flex` widgets. Other widget types end the execution.
 */
function executeFlow(ctx: Ctx, flow: StudioFlow, triggerEvent: string, trigger: Record<string, unknown>, actions: FlowActions): void {
  const states = (Array.isArray(flow.definition.states) ? flow.definition.states : []) as Widget[];
  const byName = new Map(states.map((s) => [s.name, s]));
  const initial = byName.get(String(flow.definition.initial_state ?? 'Trigger')) ?? states.find((s) => s.type === 'trigger');
  if (!initial) return;
  const variables: Record<string, unknown> = {};
  const scope: Record<string, unknown> = {
    trigger,
    flow: { flow_sid: flow.sid, sid: newSid('FN'), variables, data: {} },
    widgets: {},
  };
  const render: Render = (v) => (v === undefined || v === null ? '' : renderTemplate(String(v), scope));
  const next = (w: Widget, event: string) => byName.get(w.transitions?.find((t) => t.event === event)?.next ?? '');
  let current = next(initial, triggerEvent);
  for (let steps = 0; current && steps < 100; steps++) {
    const event = runWidget(ctx, current, render, variables, actions);
    if (event === undefined) return;
    current = next(current, event);
  }
}

/** Runs one widget; answers the transition to follow, or undefined when the execution ends. */
function runWidget(ctx: Ctx, w: Widget, render: Render, variables: Record<string, unknown>, actions: FlowActions): string | undefined {
  const props = w.properties ?? {};
  switch (w.type) {
    case 'set-variables':
      for (const v of (props.variables as Array<{ key: string; value: unknown }> | undefined) ?? []) variables[v.key] = render(v.value);
      return 'next';
    case 'send-message':
      actions.sendMessage(render(props.body), props.from ? render(props.from) : undefined);
      return 'sent';
    case 'send-to-flex':
      return sendToFlex(ctx, props, render, actions);
    default:
      ctx.log(`studio: widget type ${w.type} is not emulated; execution ends`, { widget: w.name });
      return undefined;
  }
}

/** Enqueues the task; the execution ends there, or follows `failedToEnqueue`. */
function sendToFlex(ctx: Ctx, props: Record<string, unknown>, render: Render, actions: FlowActions): string | undefined {
  const workflowSid = render(props.workflow);
  const workspace = [...ctx.store.workspaces.values()].find((w) => w.workflows.has(workflowSid));
  const rendered = render(props.attributes ?? '{}');
  let attributes: Record<string, unknown>;
  try {
    attributes = JSON.parse(rendered || '{}') as Record<string, unknown>;
  } catch {
    ctx.log('studio: send-to-flex attributes are not valid JSON after rendering', { renderedLength: rendered.length });
    return 'failedToEnqueue';
  }
  if (!workspace) {
    ctx.log('studio: send-to-flex workflow not found', { workflowSid });
    return 'failedToEnqueue';
  }
  const number = (v: unknown) => (v !== undefined && render(v) !== '' ? Number(render(v)) : undefined);
  const taskChannel = render(props.channel) || 'chat';
  actions.sendToFlex({
    workspace,
    workflowSid,
    taskChannel,
    attributes,
    priority: number(props.priority),
    timeout: number(props.timeout),
  });
  return undefined;
}

function runStudioForConversation(ctx: Ctx, flowSid: string, conv: Conversation, eventParams: Record<string, string>): void {
  const flow = ctx.store.flows.get(flowSid);
  if (!flow) {
    ctx.log('studio: flow not found', { flowSid });
    return;
  }
  const trigger = {
    conversation: {
      ...eventParams,
      ChannelAttributes: jsonValue(conv.attributes),
      ConversationAttributes: jsonValue(conv.attributes),
    },
  };
  executeFlow(ctx, flow, 'incomingConversationMessage', trigger, {
    sendToFlex: ({ workspace, workflowSid, taskChannel, attributes, priority, timeout }) => {
      const routing = {
        properties: {
          workspace_sid: workspace.sid,
          workflow_sid: workflowSid,
          task_channel_unique_name: taskChannel,
          attributes,
        },
      };
      const { interaction, channel } = createInteraction(ctx, conv, { type: 'chat', initiated_by: 'customer' }, routing);
      createConversationTask(ctx, conv, { workspaceSid: workspace.sid, workflowSid, taskChannel, attributes, priority, timeout }, interaction, channel);
    },
    sendMessage: (body, from) => {
      if (conv.state !== 'closed') addMessage(ctx, conv, { author: from ?? 'system', body }, { source: 'API', webhookEnabled: false });
    },
  });
}

export const studioFlows: StudioFlows = {
  runForConversation: runStudioForConversation,
};
