import type { Ctx, StudioFlows } from '../context.js';
import { addMessage } from '../conversations/messages.js';
import { jsonValue } from '../json.js';
import { createConversationTask, createInteraction } from '../routing.js';
import { newSid } from '../sids.js';
import type { Conversation, StudioFlow, Workspace } from '../state.js';
import { conditionHolds, type SplitCondition } from './conditions.js';
import { isContentMessage } from './definition-check.js';
import { callOut } from './http-widgets.js';
import { renderTemplate } from './liquid.js';

interface Transition {
  event: string;
  next?: string;
  conditions?: SplitCondition[];
}

interface Widget {
  name: string;
  type: string;
  transitions?: Transition[];
  properties?: Record<string, unknown>;
}

/** One run of a flow for one conversation; it lives while a widget waits for the customer. */
interface Execution {
  readonly conv: Conversation;
  readonly byName: Map<string, Widget>;
  readonly scope: Record<string, unknown>;
  readonly variables: Record<string, unknown>;
  readonly widgets: Record<string, unknown>;
  steps: number;
  waiting?: { widget: Widget; timer?: NodeJS.Timeout };
}

/**
 * What a widget did: follow the transition for an event (or, for a split, the very transition
 * that matched: a split has several `match` transitions), wait for the customer's reply, or end.
 */
type Outcome = { event: string } | { transition: Transition | undefined } | 'wait' | 'end';

function follow(w: Widget, outcome: { event: string } | { transition: Transition | undefined }): string {
  const transition = 'transition' in outcome ? outcome.transition : w.transitions?.find((t) => t.event === outcome.event);
  return transition?.next ?? '';
}

/** Studio ends an execution after this many steps (its documented limit). */
const MAX_STEPS = 1000;

export interface StudioOptions {
  /** How long one second of a widget's `timeout` lasts; 1000 ms unless a test shortens it. */
  secondMs: number;
}

/**
 * Runs Studio flows on conversations, as far as a chat bot needs: the Incoming Conversation
 * trigger, `send-message`, `send-and-wait-for-reply` (the customer's next message continues the
 * same execution; its `timeout` follows the `timeout` transition), `split-based-on`,
 * `set-variables`, `make-http-request`, `run-function` and `send-to-flex`. Any other widget
 * ends the execution, logged as not emulated.
 */
export function createStudioFlows(options: StudioOptions): StudioFlows {
  const executions = new Map<string, Execution>();

  const render = (e: Execution, value: unknown): string => (value === undefined || value === null ? '' : renderTemplate(String(value), e.scope));

  const end = (ctx: Ctx, e: Execution) => {
    ctx.scheduler.clearTimeout(e.waiting?.timer);
    e.waiting = undefined;
    if (executions.get(e.conv.sid) === e) executions.delete(e.conv.sid);
  };

  async function advance(ctx: Ctx, e: Execution, from: Widget, event: string): Promise<void> {
    let current = e.byName.get(follow(from, { event }));
    while (current) {
      if (++e.steps > MAX_STEPS) {
        ctx.log('studio: execution ended after too many steps', { widget: current.name });
        break;
      }
      const outcome = await runWidget(ctx, e, current);
      if (outcome === 'wait') return;
      if (outcome === 'end') break;
      current = e.byName.get(follow(current, outcome));
    }
    end(ctx, e);
  }

  async function runWidget(ctx: Ctx, e: Execution, w: Widget): Promise<Outcome> {
    const props = w.properties ?? {};
    switch (w.type) {
      case 'set-variables':
        for (const v of (props.variables as Array<{ key: string; value: unknown }> | undefined) ?? []) e.variables[v.key] = render(e, v.value);
        return { event: 'next' };
      case 'send-message':
        return { event: post(ctx, e, props) ? 'sent' : 'failed' };
      case 'send-and-wait-for-reply':
        return sendAndWait(ctx, e, w);
      case 'split-based-on':
        return split(e, w);
      case 'make-http-request':
      case 'run-function': {
        const result = await callOut(ctx, w.type, props, (v) => render(e, v));
        e.widgets[w.name] = result.widget;
        return { event: result.ok ? 'success' : w.type === 'run-function' ? 'fail' : 'failed' };
      }
      case 'send-to-flex':
        return sendToFlex(ctx, e, props);
      default:
        ctx.log(`studio: widget type ${w.type} is not emulated; execution ends`, { widget: w.name });
        return 'end';
    }
  }

  /**
   * Posts a message widget's text, or its Content template (`message_type` `content_template`,
   * as a message with that ContentSid), into the conversation; false when it cannot be delivered
   * (the conversation closed, or the template does not exist). A widget's `content_variables`
   * are not kept: Twilio's webhooks do not carry them either, so the template's defaults show.
   */
  function post(ctx: Ctx, e: Execution, props: Record<string, unknown>): boolean {
    if (e.conv.state === 'closed') return false;
    // The trigger's `{{flow.channel.address}}` has no meaning on a custom channel: such messages come from the system.
    const author = render(e, props.from) || 'system';
    const origin = { source: 'API', webhookEnabled: false } as const;
    if (!isContentMessage(props)) {
      addMessage(ctx, e.conv, { author, body: render(e, props.body) }, origin);
      return true;
    }
    const contentSid = String(props.content_sid);
    if (!ctx.store.contents.has(contentSid)) {
      ctx.log('studio: the Content template of a message widget does not exist', { contentSid });
      return false;
    }
    addMessage(ctx, e.conv, { author, contentSid }, origin);
    return true;
  }

  function sendAndWait(ctx: Ctx, e: Execution, w: Widget): Outcome {
    const props = w.properties ?? {};
    if (!post(ctx, e, props)) return { event: 'deliveryFailure' };
    const seconds = Number(render(e, props.timeout) || '3600');
    const waiting: NonNullable<Execution['waiting']> = { widget: w };
    waiting.timer = ctx.scheduler.setTimeout(() => {
      if (e.waiting !== waiting) return;
      e.waiting = undefined;
      ctx.scheduler.run(() => advance(ctx, e, w, 'timeout'));
    }, seconds * options.secondMs);
    e.waiting = waiting;
    return 'wait';
  }

  /** The first `match` transition whose conditions all hold, else `noMatch`. */
  function split(e: Execution, w: Widget): Outcome {
    const input = render(e, w.properties?.input);
    const holds = (t: Transition) => (t.conditions ?? []).length > 0 && t.conditions!.every((c) => conditionHolds(input, c, (v) => render(e, v)));
    const matching = w.transitions?.find((t) => t.event === 'match' && holds(t));
    return matching ? { transition: matching } : { event: 'noMatch' };
  }

  function sendToFlex(ctx: Ctx, e: Execution, props: Record<string, unknown>): Outcome {
    const workflowSid = render(e, props.workflow);
    const workspace = [...ctx.store.workspaces.values()].find((ws) => ws.workflows.has(workflowSid));
    const rendered = render(e, props.attributes ?? '{}');
    let attributes: Record<string, unknown>;
    try {
      attributes = JSON.parse(rendered || '{}') as Record<string, unknown>;
    } catch {
      ctx.log('studio: send-to-flex attributes are not valid JSON after rendering', { renderedLength: rendered.length });
      return { event: 'failedToEnqueue' };
    }
    if (!workspace) {
      ctx.log('studio: send-to-flex workflow not found', { workflowSid });
      return { event: 'failedToEnqueue' };
    }
    // A widget's timeout can fire after the conversation closed: Flex routes no closed conversation.
    if (e.conv.state === 'closed') return { event: 'failedToEnqueue' };
    const number = (v: unknown) => (v !== undefined && render(e, v) !== '' ? Number(render(e, v)) : undefined);
    enqueue(ctx, e.conv, {
      workspace,
      workflowSid,
      taskChannel: render(e, props.channel) || 'chat',
      attributes,
      priority: number(props.priority),
      timeout: number(props.timeout),
    });
    return 'end';
  }

  return {
    runForConversation(ctx, flowSid, conv, eventParams) {
      const flow = ctx.store.flows.get(flowSid);
      if (!flow) {
        ctx.log('studio: flow not found', { flowSid });
        return Promise.resolve();
      }
      const e = startExecution(flow, conv, eventParams);
      const trigger = e.byName.get(String(flow.definition.initial_state ?? 'Trigger'));
      if (!trigger) return Promise.resolve();
      const previous = executions.get(conv.sid);
      if (previous) end(ctx, previous);
      executions.set(conv.sid, e);
      return advance(ctx, e, trigger, 'incomingConversationMessage');
    },
    continueForConversation(ctx, conv, eventParams) {
      const e = executions.get(conv.sid);
      const waiting = e?.waiting;
      if (!e || !waiting) return Promise.resolve();
      ctx.scheduler.clearTimeout(waiting.timer);
      e.waiting = undefined;
      const inbound = { ...eventParams };
      // Studio's docs name the reply `inbound` for Conversations and `incoming` for Messaging.
      e.widgets[waiting.widget.name] = { inbound, incoming: inbound };
      return advance(ctx, e, waiting.widget, 'incomingMessage');
    },
  };
}

function startExecution(flow: StudioFlow, conv: Conversation, eventParams: Record<string, string>): Execution {
  const states = (Array.isArray(flow.definition.states) ? flow.definition.states : []) as Widget[];
  const variables: Record<string, unknown> = {};
  const widgets: Record<string, unknown> = {};
  const trigger = {
    conversation: {
      ...eventParams,
      ChannelAttributes: jsonValue(conv.attributes),
      ConversationAttributes: jsonValue(conv.attributes),
    },
  };
  return {
    conv,
    byName: new Map(states.map((s) => [s.name, s])),
    scope: { trigger, flow: { flow_sid: flow.sid, sid: newSid('FN'), variables, data: {} }, widgets },
    variables,
    widgets,
    steps: 0,
  };
}

function enqueue(
  ctx: Ctx,
  conv: Conversation,
  input: { workspace: Workspace; workflowSid: string; taskChannel: string; attributes: Record<string, unknown>; priority?: number; timeout?: number },
): void {
  const { workspace, workflowSid, taskChannel, attributes, priority, timeout } = input;
  const routing = {
    properties: { workspace_sid: workspace.sid, workflow_sid: workflowSid, task_channel_unique_name: taskChannel, attributes },
  };
  const { interaction, channel } = createInteraction(ctx, conv, { type: 'chat', initiated_by: 'customer' }, routing);
  createConversationTask(ctx, conv, { workspaceSid: workspace.sid, workflowSid, taskChannel, attributes, priority, timeout }, interaction, channel);
}
