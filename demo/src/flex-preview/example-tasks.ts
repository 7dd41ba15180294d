import type { ITask } from '@twilio/flex-ui';
import channelsConfig from '../../../channels.json' with { type: 'json' };

export interface ExampleTask {
  channelType: string;
  displayName: string;
  task: ITask;
}

type ExampleStatus = 'pending' | 'accepted';

const CUSTOMERS = ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson', 'Margaret Hamilton'];
const TASK_STATUS: Record<ExampleStatus, string> = { pending: 'reserved', accepted: 'assigned' };

/**
 * One chat task per configured channel, as Flex would hand it to the channel's definition,
 * pending (Flex shows its accept and reject buttons) or accepted, three minutes old.
 */
export function exampleTasks(statusOf: (index: number) => ExampleStatus): ExampleTask[] {
  return channelsConfig.channels.map((channel, index) => {
    const sid = `WT${String(index + 1).padStart(32, '0')}`;
    const attributes = {
      channelType: channel.channelType,
      customChannelType: channel.channelType,
      name: CUSTOMERS[index % CUSTOMERS.length],
      from: `customer-${index + 1}`,
      plan: 'Business',
    };
    const created = new Date(Date.now() - 180_000);
    const task = {
      sid,
      taskSid: sid,
      sourceObject: {},
      taskChannelUniqueName: 'chat',
      channelType: channel.channelType,
      attributes,
      status: statusOf(index),
      taskStatus: TASK_STATUS[statusOf(index)],
      age: 180,
      dateCreated: created,
      dateUpdated: created,
      queueName: 'Everyone',
      priority: 0,
      defaultFrom: attributes.from,
    } as unknown as ITask;
    return { channelType: channel.channelType, displayName: channel.displayName, task };
  });
}
