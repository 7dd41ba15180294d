import React from 'react';
import * as Flex from '@twilio/flex-ui';
import { render } from '@testing-library/react';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { chatTask, createFlexManager, withFlex } from './support/flex';

/** A web chat task with the attributes the middleware gives it. */
function webchatTask(customerPresence?: string): Flex.ITask {
  return chatTask({
    channelType: 'webchat',
    customChannelType: 'webchat',
    name: 'Ada Lovelace',
    from: 'Ada Lovelace',
    conversationSid: 'CH00000000000000000000000000000001',
    ...(customerPresence ? { customerPresence } : {}),
  });
}

let manager: Flex.Manager;

beforeAll(async () => {
  manager = await createFlexManager({}, (loading) => new CustomChannelsPlugin().init(Flex, loading));
});

/** The accessible label Flex gives the task list item (what a screen reader reads). */
function taskListLabel(task: Flex.ITask): string {
  const { getByTestId, unmount } = render(withFlex(manager, task, <Flex.TaskListItem />));
  const label = getByTestId('task-item').getAttribute('aria-label') ?? '';
  unmount();
  return label;
}

describe("the customer's presence in Flex's task list, drawn by the real Flex UI", () => {
  test('a connected web chat visitor is read out as online', () => {
    const label = taskListLabel(webchatTask('online'));
    expect(label).toContain('Customer is online');
    expect(label).not.toContain('offline');
  });

  test('a visitor whose socket closed is read out as offline', () => {
    expect(taskListLabel(webchatTask('offline'))).toContain('Customer is offline');
  });

  test('the rest of the item is what Flex draws without the presence', () => {
    const drawn = (task: Flex.ITask) => {
      const { container, unmount } = render(withFlex(manager, task, <Flex.TaskListItem />));
      const html = container.innerHTML.replace(/ aria-label="[^"]*"/g, '').replace(/((?:ForwardRef|Button)-[A-Za-z]+)-\d+/g, '$1');
      unmount();
      return html;
    };
    expect(drawn(webchatTask('online'))).toBe(drawn(webchatTask()));
  });
});

describe("the customer's presence in the plugin's panel", () => {
  const panelStatus = (task: Flex.ITask) => {
    const { getByRole, unmount } = render(withFlex(manager, task, <Flex.TaskInfoPanel task={task} />));
    const status = getByRole('status').textContent;
    unmount();
    return status;
  };

  test('says what the middleware knows for web chat', () => {
    expect(panelStatus(webchatTask('online'))).toBe('Connected to the chat now');
    expect(panelStatus(webchatTask('offline'))).toBe('Not connected to the chat now');
  });

  test('does not call a messenger customer offline: their presence is not known', () => {
    const telegram = chatTask({ channelType: 'chatapp', customChannelType: 'chatapp', name: 'Ada', from: 'Ada' });
    expect(panelStatus(telegram)).toBe('Whether the customer is online is not known on this channel');
  });
});
