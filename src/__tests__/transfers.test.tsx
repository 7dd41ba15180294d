import React from 'react';
import * as Flex from '@twilio/flex-ui';
import { render } from '@testing-library/react';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { definitionName } from '../channels/definition';
import { chatTask, createFlexManager, TaskStatus, withFlex } from './support/flex';

const ALICE = 'WK00000000000000000000000000000a11';
const BOB = 'WK00000000000000000000000000000b0b';

/** The first task of a web chat, with the attributes the middleware gives it. */
const firstAttributes = {
  channelType: 'webchat',
  customChannelType: 'webchat',
  name: 'Ada Lovelace',
  from: 'Ada Lovelace',
  conversationSid: 'CH00000000000000000000000000000001',
  conversations: {
    communication_channel: 'Website chat',
    initiated_by: 'customer',
    direction: 'inbound',
    conversation_id: 'CH00000000000000000000000000000001',
  },
};

/**
 * The second task, shaped as Flex shapes a transferred one: every attribute copied, what tells
 * it is a transfer added, `channelType` possibly rewritten by Flex, and the incoming transfer
 * object Flex puts on the task of the agent it was transferred to.
 */
function transferredTask(channelType: string, status: TaskStatus): Flex.ITask {
  const task = chatTask(
    {
      ...firstAttributes,
      channelType,
      transferTargetType: 'worker',
      transferTargetSid: BOB,
      transferMeta: { originalTask: 'WT00000000000000000000000000000001', originalWorker: ALICE, mode: 'COLD' },
    },
    status,
  );
  return Object.assign(task, {
    sid: 'WT00000000000000000000000000000002',
    taskSid: 'WT00000000000000000000000000000002',
    routingTarget: BOB,
    incomingTransferObject: { sid: 'TT00000000000000000000000000000001', mode: 'COLD', type: 'WORKER', to: BOB, workerSid: ALICE, status: 'INITIATED' },
  });
}

let manager: Flex.Manager;

beforeAll(async () => {
  manager = await createFlexManager();
  new CustomChannelsPlugin().init(Flex, manager);
});

/**
 * What a component draws for a task, and its accessible label apart: Flex announces a
 * transfer there ("Transferred from ..."). Class names Material UI numbers per render are
 * made alike.
 */
function drawn(task: Flex.ITask, component: 'TaskListItem' | 'TaskCanvasHeader'): { html: string; labels: string[] } {
  const element = component === 'TaskListItem' ? <Flex.TaskListItem /> : <Flex.TaskCanvasHeader task={task} />;
  const { container, unmount } = render(withFlex(manager, task, element));
  const labels = Array.from(container.querySelectorAll('[aria-label]')).map((node) => node.getAttribute('aria-label') ?? '');
  const html = container.innerHTML
    .split(task.sid)
    .join('WT')
    .replace(/ aria-label="[^"]*"/g, '')
    .replace(/((?:ForwardRef|Button)-[A-Za-z]+)-\d+/g, '$1');
  unmount();
  return { html, labels };
}

describe('a transferred task of a custom channel, in the real Flex UI', () => {
  test.each(['webchat', 'chat', 'web'])('with channelType "%s" it resolves to the channel it came from', (channelType) => {
    for (const status of ['pending', 'accepted'] as TaskStatus[]) {
      expect(Flex.TaskChannels.getForTask(transferredTask(channelType, status))?.name).toBe(definitionName('webchat'));
    }
  });

  test.each(['webchat', 'chat', 'web'])('with channelType "%s" it is drawn exactly as the first task: icon, colors, templates', (channelType) => {
    // Flex draws a task's age from the clock: both tasks are drawn at one frozen instant.
    jest.useFakeTimers('modern');
    jest.setSystemTime(new Date('2026-01-01T12:00:00Z'));
    for (const status of ['pending', 'accepted', 'wrapping'] as TaskStatus[]) {
      const first = chatTask(firstAttributes, status);
      const second = transferredTask(channelType, status);
      for (const component of ['TaskListItem', 'TaskCanvasHeader'] as const) {
        const transferred = drawn(second, component);
        expect(transferred.html).toBe(drawn(first, component).html);
        expect(transferred.html).toContain('Ada Lovelace');
      }
      // Flex itself sees the transfer: its label for the list item says so.
      expect(drawn(second, 'TaskListItem').labels[0]).toMatch(/^Transferred from /);
      expect(drawn(first, 'TaskListItem').labels[0]).not.toMatch(/Transferred/);
    }
  });

  afterEach(() => jest.useRealTimers());

  test("a transferred task of Flex's own web chat keeps Flex's definition", () => {
    const flexOwn = { ...transferredTask('web', 'accepted'), attributes: { channelType: 'web', name: 'Visitor', transferTargetType: 'worker' } } as Flex.ITask;
    expect(Flex.TaskChannels.getForTask(flexOwn)?.name).not.toBe(definitionName('webchat'));
  });
});
