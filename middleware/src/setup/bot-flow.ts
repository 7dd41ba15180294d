import { selectionReply } from '../rich/customer-replies.js';
import type { StudioFlowDefinition } from './definitions.js';

export const DEFAULT_BOT_FLOW_NAME = 'Custom channels: bot, then Send to Flex';

/** How long the menu waits for the customer's answer before the flow routes them to Flex anyway. */
export const BOT_MENU_TIMEOUT_SECONDS = 3600;

/** The Content template the menu is sent with, found again by this name on later runs. */
export const BOT_MENU_TEMPLATE_NAME = 'Custom channels: bot menu';

interface BotFlowInput {
  workflowSid: string;
  taskChannelSid: string;
  /** The SID of the menu's Content template (`botMenuTemplate`). */
  menuContentSid: string;
  menuTimeoutSeconds?: number;
}

/**
 * The menu's options: the button (its id is the choice written into the task's
 * `botMenuChoice`), and what else the customer may type instead of tapping it.
 */
const MENU = [
  { choice: 'orders', typed: '1, order, orders', label: 'An order' },
  { choice: 'billing', typed: '2, billing, invoice', label: 'Billing' },
  { choice: 'other', typed: '3, other, something else', label: 'Something else' },
] as const;

const MENU_QUESTION = 'How can we help? Tap an option or reply with its number:';

/** The body of a Content API create request (`POST /v1/Content`). */
export interface ContentTemplateRequest {
  friendly_name: string;
  language: string;
  variables: Record<string, string>;
  types: Record<string, Record<string, unknown>>;
}

/**
 * The menu as a Content template: quick-reply buttons, and a text for the channels that show
 * only text (the kit's channels fall back to the buttons as a numbered list either way).
 */
export function botMenuTemplate(): ContentTemplateRequest {
  return {
    friendly_name: BOT_MENU_TEMPLATE_NAME,
    language: 'en',
    variables: {},
    types: {
      'twilio/quick-reply': { body: MENU_QUESTION, actions: MENU.map((option) => ({ id: option.choice, title: option.label })) },
      'twilio/text': { body: [MENU_QUESTION, ...MENU.map((option, i) => `${i + 1}. ${option.label}`)].join('\n') },
    },
  };
}

/**
 * What the split accepts for an option. Studio compares the reply's text: a tapped button
 * reaches the conversation as the kit posts every tap (`Selected: <title>`, the button's id in
 * the message attributes), and a customer may also type the number, a word or the title.
 */
function answersFor(option: (typeof MENU)[number]): string {
  return [option.typed, option.label, selectionReply({ id: option.choice, title: option.label }).text].join(', ');
}

const fromConversation = (key: string) => `{{trigger.conversation.ChannelAttributes.${key}}}`;
// Studio's defaults for a message widget's addresses; on a conversation the message goes into it.
const FROM = '{{flow.channel.address}}';

/**
 * `--route studio --bot`: greets the customer, asks a three-option menu (the Content template
 * `menuContentSid`, buttons where the channel shows them), writes the choice into the task's
 * attributes, then Send to Flex.
 * A customer who does not answer within the timeout is routed to Flex with the choice
 * `no_answer`, so that nobody is left in a conversation without a task. Created once:
 * later edits in the Studio editor are kept.
 */
export function botFlowDefinition(input: BotFlowInput): StudioFlowDefinition {
  const chose = (name: string, choice: string, x: number) => ({
    name,
    type: 'set-variables',
    transitions: [{ event: 'next', next: 'SendToFlex' }],
    properties: { offset: { x, y: 800 }, variables: [{ key: 'menu_choice', value: choice }] },
  });
  return {
    description:
      'Custom channels: a greeting and a menu, then routes the conversation to Flex with the choice in the task. Created by npm run setup --bot; edit it freely in Studio.',
    states: [
      {
        name: 'Trigger',
        type: 'trigger',
        transitions: ['incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'].map((event) =>
          event === 'incomingConversationMessage' ? { event, next: 'Greeting' } : { event },
        ),
        properties: { offset: { x: 0, y: 0 } },
      },
      {
        name: 'Greeting',
        type: 'send-message',
        transitions: [{ event: 'sent', next: 'Menu' }, { event: 'failed' }],
        properties: { offset: { x: 0, y: 200 }, from: FROM, to: '{{contact.channel.address}}', body: 'Hello! Thanks for contacting us.' },
      },
      {
        name: 'Menu',
        type: 'send-and-wait-for-reply',
        transitions: [{ event: 'incomingMessage', next: 'MenuChoice' }, { event: 'timeout', next: 'NoAnswer' }, { event: 'deliveryFailure' }],
        properties: {
          offset: { x: 0, y: 400 },
          from: FROM,
          // Studio's Content template message: the widget names the template instead of a body.
          message_type: 'content_template',
          content_sid: input.menuContentSid,
          timeout: String(input.menuTimeoutSeconds ?? BOT_MENU_TIMEOUT_SECONDS),
        },
      },
      {
        name: 'MenuChoice',
        type: 'split-based-on',
        transitions: [
          { event: 'noMatch', next: 'ChoseOther' },
          ...MENU.map((option) => ({
            event: 'match',
            next: chosenWidget(option.choice),
            conditions: [
              { friendly_name: `answer is ${option.choice}`, arguments: ['{{widgets.Menu.inbound.Body}}'], type: 'matches_any_of', value: answersFor(option) },
            ],
          })),
        ],
        properties: { offset: { x: 0, y: 600 }, input: '{{widgets.Menu.inbound.Body}}' },
      },
      ...MENU.map((option, i) => chose(chosenWidget(option.choice), option.choice, i * 250)),
      chose('NoAnswer', 'no_answer', MENU.length * 250),
      {
        name: 'SendToFlex',
        type: 'send-to-flex',
        transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
        properties: {
          offset: { x: 0, y: 1000 },
          workflow: input.workflowSid,
          channel: input.taskChannelSid,
          attributes: JSON.stringify({
            channelType: fromConversation('channelType'),
            customChannelType: fromConversation('customChannelType'),
            name: fromConversation('name'),
            from: fromConversation('from'),
            conversationSid: '{{trigger.conversation.ConversationSid}}',
            botMenuChoice: '{{flow.variables.menu_choice}}',
          }),
          priority: '0',
          timeout: '86400',
        },
      },
    ],
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
  };
}

function chosenWidget(choice: string): string {
  return `Chose${choice[0]!.toUpperCase()}${choice.slice(1)}`;
}
