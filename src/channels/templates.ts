import type { ChannelDefinition, ChannelTemplates, TemplateText } from '@custom-channels/contract';
import type { TaskChannelDefinition } from '@twilio/flex-ui';

/** Where each configured template goes in Flex's definition. */
const TEMPLATE_TARGETS: Record<keyof ChannelTemplates, string[]> = {
  taskListItem: ['TaskListItem'],
  taskCanvasHeader: ['TaskCanvasHeader'],
  incomingTaskCanvas: ['IncomingTaskCanvas'],
  taskCard: ['TaskCard'],
  supervisorTaskCanvasHeader: ['Supervisor', 'TaskCanvasHeader'],
  supervisorTaskOverviewCanvas: ['Supervisor', 'TaskOverviewCanvas'],
};

/**
 * Flex looks a task's template up as Pending-else-Reserved and Accepted-else-Assigned, and
 * its chat defaults fill Pending and Accepted: a text configured for one name of the pair
 * must fill the other too, or Flex's default would shadow it.
 */
const STATUS_ALIASES: Record<string, string> = {
  Reserved: 'Pending',
  Pending: 'Reserved',
  Assigned: 'Accepted',
  Accepted: 'Assigned',
};

type StatusValue = string | Record<string, string> | undefined;
type Strings = Record<string, string>;

/**
 * The manager.strings key of one template text. Flex's own keys never contain a dot, and
 * the plugin and channel names keep other plugins' keys apart.
 */
export function templateStringKey(channelType: string, path: string[], status?: string): string {
  return ['PluginCustomChannels', channelType, ...path, ...(status ? [status] : [])].join('.');
}

/**
 * Points the definition's templates at new string keys for every configured text and
 * returns those strings. Lines and statuses that are not configured keep Flex's defaults.
 */
export function applyTemplates(definition: TaskChannelDefinition, channel: ChannelDefinition): Strings {
  const strings: Strings = {};
  const templates = (definition.templates ?? {}) as Record<string, unknown>;
  definition.templates = templates as TaskChannelDefinition['templates'];
  for (const [name, lines] of Object.entries(channel.templates ?? {}) as Array<[keyof ChannelTemplates, Record<string, TemplateText>]>) {
    const target = groupAt(templates, TEMPLATE_TARGETS[name]);
    for (const [line, text] of Object.entries(lines)) {
      const path = [...TEMPLATE_TARGETS[name], line];
      target[line] = templateValue(text, target[line] as StatusValue, (status) => templateStringKey(channel.channelType, path, status), strings);
    }
  }
  return strings;
}

function templateValue(text: TemplateText, flexDefault: StatusValue, keyFor: (status?: string) => string, strings: Strings): StatusValue {
  if (typeof text === 'string') {
    strings[keyFor()] = text;
    return keyFor();
  }
  const byStatus: Record<string, string> = typeof flexDefault === 'object' ? { ...flexDefault } : {};
  for (const [status, statusText] of Object.entries(text)) {
    if (statusText === undefined) continue;
    strings[keyFor(status)] = statusText;
    byStatus[status] = keyFor(status);
    const alias = STATUS_ALIASES[status];
    if (alias && text[alias as keyof typeof text] === undefined) byStatus[alias] = keyFor(status);
  }
  if (typeof flexDefault === 'string') return withDefault(byStatus, flexDefault);
  return byStatus;
}

/** A status map needs every status Flex shows; those not configured keep Flex's text. */
function withDefault(byStatus: Record<string, string>, flexDefault: string): Record<string, string> {
  const complete: Record<string, string> = {};
  for (const status of ['Pending', 'Reserved', 'Assigned', 'Accepted', 'Wrapping', 'Completed', 'Canceled']) {
    complete[status] = byStatus[status] ?? flexDefault;
  }
  return complete;
}

function groupAt(root: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let group = root;
  for (const segment of path) {
    const next = group[segment];
    group[segment] = typeof next === 'object' && next !== null ? { ...(next as object) } : {};
    group = group[segment] as Record<string, unknown>;
  }
  return group;
}
