/** Flex task statuses that templates may be keyed by. */
export const TEMPLATE_STATUSES = [
  'Pending',
  'Reserved',
  'Assigned',
  'Accepted',
  'Wrapping',
  'Completed',
  'Canceled',
] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

/** One Handlebars text for every status, or one per status. */
export type TemplateText = string | Partial<Record<TemplateStatus, string>>;

export interface ChannelTemplates {
  taskListItem?: { firstLine?: TemplateText; secondLine?: TemplateText; extraInfo?: TemplateText };
  taskCanvasHeader?: { title?: TemplateText };
  incomingTaskCanvas?: { firstLine?: TemplateText; secondLine?: TemplateText };
  taskCard?: { firstLine?: TemplateText; secondLine?: TemplateText };
  supervisorTaskCanvasHeader?: { title?: TemplateText };
  supervisorTaskOverviewCanvas?: { firstLine?: TemplateText; secondLine?: TemplateText };
}

export type ChannelAdapter = 'webhook' | 'webchat';

/** A custom channel as written in channels.json (see channels.schema.json). */
export interface ChannelDefinition {
  channelType: string;
  displayName: string;
  color: string;
  icon: string;
  adapter?: ChannelAdapter;
  templates?: ChannelTemplates;
}

export interface ChannelsConfig {
  channels: ChannelDefinition[];
}
