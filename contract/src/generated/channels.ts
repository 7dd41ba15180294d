// Written by `npm run generate -w middleware` from contract/schema/channels.base.schema.json and the messenger platforms: do not edit.

/**
 * The customer fields the channel panel shows agents for this channel's tasks, in order. Each value is a template of task attributes, e.g. {{task.attributes.from}}; the panel shows it as text.
 *
 * @maxItems 20
 *
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "profile".
 */
export type Profile = {
  /**
   * The field's name as agents read it. Plain text.
   */
  label: string;
  /**
   * {{task.attributes.*}} or {{task.*}} lookups within plain text, e.g. "{{task.attributes.plan}}"; a lookup that finds nothing shows as empty.
   */
  value: string;
}[];
/**
 * One template for every status, or one per task status (Pending, Reserved, Assigned, Accepted, Wrapping, Completed, Canceled).
 *
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "template".
 */
export type Template = string | TemplateByStatus;
/**
 * Handlebars text. Triple braces (unescaped HTML) are refused by Flex.
 *
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "templateText".
 */
export type TemplateText = string;

/**
 * The channels the Flex plugin renders and the middleware bridges. Secrets and delivery URLs never go here: they come from the environment (see the middleware README).
 */
export interface CustomChatChannelsForTwilioFlex {
  $schema?: string;
  /**
   * One entry per custom channel. channelType must be unique.
   *
   * @minItems 1
   * @maxItems 50
   */
  channels: Channel[];
}
/**
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "channel".
 */
export interface Channel {
  /**
   * The task attribute value (channelType / customChannelType) that marks a task as this channel's. 3-32 lowercase letters, digits or dashes, starting with a letter; Flex's own chat types are reserved.
   */
  channelType: string;
  /**
   * The channel's name as agents and admins read it.
   */
  displayName: string;
  /**
   * Brand color while the task is live, as #RRGGBB. Flex's grey is used once the task is wrapping, completed or canceled.
   */
  color: string;
  /**
   * Inline SVG markup for the channel's icon (<svg ...>...</svg>), drawn in currentColor so it follows the status color.
   */
  icon: string;
  /**
   * How the middleware delivers agent replies to the customer: 'webhook' (a signed JSON POST to the channel's delivery URL), 'webchat' (the built-in web chat over WebSocket), or a messenger platform: 'telegram' (a Telegram bot), 'line' (a LINE Official Account), 'viber' (a Viber bot), 'instagram' (an Instagram professional account (Messenger Platform)).
   */
  adapter?: 'webhook' | 'webchat' | 'telegram' | 'line' | 'viber' | 'instagram';
  /**
   * Messenger channels: the message the customer receives when the agent ends the chat, 1 to 1000 characters (checked by the middleware, which alone uses it). Default: "This chat has ended. Send a message to start a new one."
   */
  endedText?: string;
  /**
   * Viber channels: the bot as customers see it on each message. Default: the displayName, cut to Viber's 28 characters.
   */
  sender?: {
    /**
     * The sender name, 1 to 28 characters.
     */
    name?: string;
    /**
     * An https URL of the avatar image (Viber recommends under 100 KB, 720x720 pixels).
     */
    avatar?: string;
  };
  /**
   * The longest message, in characters, the channel takes, both ways: Flex stops the agent there, and the middleware refuses a longer customer message. Default 32768, Flex's chat limit; for a messenger channel, its platform's own limit: 4096 for 'telegram', 5000 for 'line', 7000 for 'viber', 1000 for 'instagram'.
   */
  maxMessageLength?: number;
  media?: Media;
  /**
   * The Content templates (rich messages) an agent may send from Flex on this channel, each a template SID (HX...) or friendly name; ["*"] for every template of the account. Absent: the plugin offers none (a bot or an API caller may still post any template).
   *
   * @minItems 1
   * @maxItems 100
   */
  contentTemplates?: string[];
  /**
   * Agents may start a conversation on this channel from Flex (the plugin's New message control, POST /agent/outbound): with customers the kit can reach, under the platform's rules. Default false.
   */
  outbound?: boolean;
  /**
   * Channels that take POST /inbound/:channelType, during a migration only: the middleware also accepts requests signed the old way, X-Hub-Signature-256 over the body alone, which carries no timestamp, so a captured request can be replayed. Default false: only X-Channel-Timestamp and X-Channel-Signature are accepted. The middleware logs a warning at start for each channel that sets it.
   */
  legacyBodySignature?: boolean;
  profile?: Profile;
  templates?: Templates;
  survey?: Survey;
}
/**
 * The attachments the channel takes, both ways. Absent: text only. Flex takes one attachment per message, at most 16 MiB.
 *
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "media".
 */
export interface Media {
  /**
   * Media types the channel takes: exact ("application/pdf") or a whole family ("image/*").
   *
   * @minItems 1
   */
  accept: string[];
  /**
   * The largest attachment, in bytes. Default and maximum 16777216, Flex's limit.
   */
  maxBytes?: number;
}
/**
 * Overrides of the texts Flex shows for this channel's tasks. Handlebars with {{task.attributes.*}}, {{task.defaultFrom}}, {{helper.durationSinceUpdate}} ... Omitted lines keep Flex's chat defaults.
 *
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "templates".
 */
export interface Templates {
  taskListItem?: ThreeLines;
  taskCanvasHeader?: TitleOnly;
  incomingTaskCanvas?: TwoLines;
  taskCard?: TwoLines;
  supervisorTaskCanvasHeader?: TitleOnly;
  supervisorTaskOverviewCanvas?: TwoLines;
}
/**
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "threeLines".
 */
export interface ThreeLines {
  firstLine?: Template;
  secondLine?: Template;
  extraInfo?: Template;
}
/**
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "titleOnly".
 */
export interface TitleOnly {
  title?: Template;
}
/**
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "twoLines".
 */
export interface TwoLines {
  firstLine?: Template;
  secondLine?: Template;
}
/**
 * A post-chat survey the middleware runs over the channel when the agent ends the chat: the questions in order, each answer written to the task's attributes under the Flex Insights key it names. Absent: no survey.
 *
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "survey".
 */
export interface Survey {
  /**
   * @minItems 1
   * @maxItems 10
   */
  questions: SurveyQuestion[];
  /**
   * How long the customer has to answer each question; past it the survey closes without another message. Default 300.
   */
  timeoutSeconds?: number;
  /**
   * Sent after the last answer; omitted: nothing is sent.
   */
  thanksText?: string;
}
/**
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "surveyQuestion".
 */
export interface SurveyQuestion {
  /**
   * 'rating': a whole number 1 to 5; 'yes_no': yes or no (stored as 1 or 0); 'text': free text.
   */
  kind: 'rating' | 'yes_no' | 'text';
  /**
   * The question as the customer reads it, with how to answer (e.g. "Reply 1 to 5").
   */
  text: string;
  /**
   * Where Flex Insights reads the answer, under the task attributes' `conversations` object: conversation_measure_1..10 for 'rating' and 'yes_no', conversation_attribute_1..10 for 'text'. Each key once per channel.
   */
  insightsKey: string;
}
/**
 * This interface was referenced by `CustomChatChannelsForTwilioFlex`'s JSON-Schema
 * via the `definition` "templateByStatus".
 */
export interface TemplateByStatus {
  Pending?: TemplateText;
  Reserved?: TemplateText;
  Assigned?: TemplateText;
  Accepted?: TemplateText;
  Wrapping?: TemplateText;
  Completed?: TemplateText;
  Canceled?: TemplateText;
}

/** The messenger platforms' adapters: each one's own webhooks in, its send API out. */
export const MESSENGER_ADAPTERS = ['telegram', 'line', 'viber', 'instagram'] as const;
/** The longest text each messenger platform takes in one message. */
export const MESSENGER_TEXT_LIMITS = { telegram: 4096, line: 5000, viber: 7000, instagram: 1000 } as const;
