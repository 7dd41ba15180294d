import { isDeepStrictEqual } from 'node:util';

/**
 * The Twilio resources the setup command manages, as Twilio stores them: Studio flow
 * definitions (the JSON the Studio editor exports).
 */

export const SETUP_COMMIT_MESSAGE = 'npm run setup (custom channels): Send to Flex';

export const DEFAULT_CONVERSATIONS_FLOW_NAME = 'Custom channels: Send to Flex';

export interface StudioFlowDefinition {
  description: string;
  states: Array<Record<string, unknown>>;
  initial_state: string;
  flags: { allow_concurrent_calls: boolean };
}

interface SendToFlexInput {
  workflowSid: string;
  taskChannelSid: string;
}

const TRIGGER_EVENTS = ['incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'];

function flow(description: string, triggerEvent: string, input: SendToFlexInput, attributes: Record<string, string>): StudioFlowDefinition {
  return {
    description,
    states: [
      {
        name: 'Trigger',
        type: 'trigger',
        transitions: TRIGGER_EVENTS.map((event) => (event === triggerEvent ? { next: 'SendToFlex', event } : { event })),
        properties: { offset: { x: 0, y: 0 } },
      },
      {
        name: 'SendToFlex',
        type: 'send-to-flex',
        transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
        properties: {
          offset: { x: 20, y: 240 },
          workflow: input.workflowSid,
          channel: input.taskChannelSid,
          // Studio renders the Liquid placeholders, then parses the result as the task's JSON attributes.
          attributes: JSON.stringify(attributes),
          priority: '0',
          timeout: '86400',
        },
      },
    ],
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
  };
}

/**
 * `--route studio`: one flow for every channel type. The middleware puts
 * the task attributes on the conversation (`channelType`, `customChannelType`, `name`, `from`),
 * and the widget copies them from there, so a new channel type needs no new flow.
 */
export function conversationsFlowDefinition(input: SendToFlexInput): StudioFlowDefinition {
  const fromConversation = (key: string) => `{{trigger.conversation.ChannelAttributes.${key}}}`;
  return flow(
    'Custom channels: routes each conversation the middleware opens to Flex. Managed by npm run setup: edits are overwritten on its next run.',
    'incomingConversationMessage',
    input,
    {
      channelType: fromConversation('channelType'),
      customChannelType: fromConversation('customChannelType'),
      name: fromConversation('name'),
      from: fromConversation('from'),
      conversationSid: '{{trigger.conversation.ConversationSid}}',
    },
  );
}

/**
 * Whether a stored definition does what the desired one does. Widget positions (`offset`) and
 * the order of states are the Studio editor's business and are ignored.
 */
export function sameDefinition(actual: unknown, desired: StudioFlowDefinition): boolean {
  return isDeepStrictEqual(normalise(actual), normalise(desired));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key]) => key !== 'offset')
    .map(([key, inner]) => [key, key === 'states' && Array.isArray(inner) ? sortByName(inner.map(normalise)) : normalise(inner)] as const);
  return Object.fromEntries(entries);
}

function sortByName(states: unknown[]): unknown[] {
  return [...states].sort((a, b) => String((a as { name?: unknown }).name).localeCompare(String((b as { name?: unknown }).name)));
}
