import { buildTaskAttributes } from '@custom-channels/contract';
import type { ITask } from '@twilio/flex-ui';
import channelsConfig from '../../../channels.json' with { type: 'json' };
import { flexTask, type AssignmentStatus } from './flex-task.js';

export interface ExampleTask {
  channelType: string;
  displayName: string;
  status: AssignmentStatus;
  task: ITask;
}

/** The statuses an agent sees a chat task in, from arrival to the end. */
export const EXAMPLE_STATUSES: AssignmentStatus[] = ['reserved', 'assigned', 'wrapping', 'completed'];

/** Two of Flex's own chat channels, to show beside the custom ones. */
const FLEX_CHANNELS = [
  { channelType: 'web', displayName: 'Flex web chat' },
  { channelType: 'sms', displayName: 'Flex SMS' },
];

const CUSTOMERS = ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson', 'Margaret Hamilton'];
const AGE_MS = 180_000;

/**
 * A custom channel's task has the attributes the middleware writes (the customer's display
 * name in both `name` and `from`); Flex's own channels have a type, a name and a sender address.
 */
function exampleAttributes(channelType: string, displayName: string, customer: number, custom: boolean): Record<string, unknown> {
  const name = CUSTOMERS[customer % CUSTOMERS.length] ?? 'Ada Lovelace';
  if (!custom) return { channelType, name, from: `customer-${customer + 1}`, plan: 'Business' };
  // No conversation: with one, Flex's components would look it up in a Conversations client the preview does not have.
  return { ...buildTaskAttributes({ channelType, customerName: name, channelDisplayName: displayName }), plan: 'Business' };
}

function exampleTask(channel: { channelType: string; displayName: string; custom: boolean }, customer: number, status: AssignmentStatus): ITask {
  const sid = `WT${String(customer + 1).padStart(2, '0')}${String(EXAMPLE_STATUSES.indexOf(status) + 1).padStart(30, '0')}`;
  const created = new Date(Date.now() - AGE_MS).toISOString();
  return flexTask({
    sid,
    assignmentStatus: status,
    taskChannelUniqueName: 'chat',
    attributes: exampleAttributes(channel.channelType, channel.displayName, customer, channel.custom),
    dateCreated: created,
    dateUpdated: created,
  });
}

/**
 * Example chat tasks, three minutes old, as Flex would hand them to the channels'
 * definitions: one per configured channel in each of the given statuses, then Flex's own
 * web and SMS channels when asked for.
 */
export function exampleTasks(statuses: AssignmentStatus[], withFlexChannels = false): ExampleTask[] {
  const channels = [
    ...channelsConfig.channels.map(({ channelType, displayName }) => ({ channelType, displayName, custom: true })),
    ...(withFlexChannels ? FLEX_CHANNELS.map((channel) => ({ ...channel, custom: false })) : []),
  ];
  return channels.flatMap((channel, customer) =>
    statuses.map((status) => ({
      channelType: channel.channelType,
      displayName: channel.displayName,
      status,
      task: exampleTask(channel, customer, status),
    })),
  );
}
