import React from 'react';
import * as Flex from '@twilio/flex-ui';
import { render, screen } from '@testing-library/react';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { definitionName } from '../channels/definition';
import { svgDataUri } from '../channels/ChannelIcon';
import { templateStringKey } from '../channels/templates';
import channelsFile from '../../channels.json';
import { chatTask, createFlexManager, TaskStatus, withFlex } from './support/flex';

const FLEX_GREY = '#a0a8bd';
const NEW_ICON = '<svg viewBox="0 0 24 24"><path d="M4 4h16v16H4z" fill="currentColor"/></svg>';

/** Tasks of Flex's own kinds, which must look exactly as they do without the plugin. */
const flexOwnTasks: Record<string, Flex.ITask> = {
  web: chatTask({ channelType: 'web', from: 'Visitor' }),
  sms: chatTask({ channelType: 'sms', from: '+15550100' }),
  whatsapp: chatTask({ channelType: 'whatsapp', from: 'whatsapp:+15550100' }),
  voice: chatTask({ from: '+15550100' }, 'accepted', 'voice'),
  unknownChat: chatTask({ channelType: 'carrier-pigeon', from: 'Bird' }),
  unknownChannel: chatTask({ channelType: 'webchat' }, 'accepted', 'video'),
};
const definitionNameFor = (task: Flex.ITask) => Flex.TaskChannels.getForTask(task)?.name;

let manager: Flex.Manager;
let flexOwnDefinitions: Record<string, string | undefined>;
let consoleErrors: string[];

beforeAll(async () => {
  flexOwnDefinitions = Object.fromEntries(Object.entries(flexOwnTasks).map(([kind, task]) => [kind, definitionNameFor(task)]));
  manager = await createFlexManager({
    custom_data: {
      customChannels: {
        chatapp: {
          color: '#00AA55',
          templates: { taskCanvasHeader: { title: 'Overridden {{task.attributes.name}}' } },
        },
        kiosk: { displayName: 'Store kiosk', color: '#C2410C', icon: NEW_ICON },
        webchat: { color: 'not-a-color' },
        broken: { displayName: 'Broken', color: '#000000' },
      },
    },
  });
  const errorSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  new CustomChannelsPlugin().init(Flex, manager);
  consoleErrors = errorSpy.mock.calls.map((call) => call.join(' '));
  errorSpy.mockRestore();
});

describe('registration', () => {
  test('registers one definition per valid channel, keeping those a broken override names', () => {
    const names = Flex.TaskChannels.getRegistered().map((definition) => definition.name);
    expect(names).toEqual(expect.arrayContaining(['webchat', 'chatapp', 'kiosk'].map(definitionName)));
    expect(names).not.toContain(definitionName('broken'));
  });

  test('reports each broken override on the console, naming the channel and the field', () => {
    expect(consoleErrors.filter((line) => line.includes('custom_data.customChannels['))).toEqual([
      '[plugin-custom-channels] custom_data.customChannels["webchat"]: field "color" must be a hex color such as "#1F6FEB"; skipped',
      '[plugin-custom-channels] custom_data.customChannels["broken"]: field "icon" is required; skipped',
    ]);
  });
});

describe('routing with the real Flex.TaskChannels', () => {
  test.each(['webchat', 'chatapp', 'kiosk'])('a %s task resolves to its channel by channelType', (channelType) => {
    expect(definitionNameFor(chatTask({ channelType, name: 'Ada' }))).toBe(definitionName(channelType));
  });

  test.each(['webchat', 'chatapp'])('a %s task whose channelType Flex rewrote resolves by customChannelType', (channelType) => {
    expect(definitionNameFor(chatTask({ channelType: 'web', customChannelType: channelType }))).toBe(definitionName(channelType));
  });

  test.each(Object.keys(flexOwnTasks))('a %s task keeps the definition Flex gives it without the plugin', (kind) => {
    expect(flexOwnDefinitions[kind]).toBeDefined();
    expect(definitionNameFor(flexOwnTasks[kind]!)).toBe(flexOwnDefinitions[kind]);
  });
});

describe('colors and templates', () => {
  const colorOf = (channelType: string, status: TaskStatus) => {
    const task = chatTask({ channelType }, status);
    return Flex.TaskChannelHelper.getColor(task, Flex.TaskChannels.getForTask(task).colors?.main ?? '', Flex.TaskListItem);
  };

  test.each([
    ['webchat', '#1F6FEB'],
    ['chatapp', '#00AA55'],
    ['kiosk', '#C2410C'],
  ])('%s: brand color while live, Flex grey once wrapping, completed or canceled', (channelType, brand) => {
    for (const status of ['pending', 'accepted'] as TaskStatus[]) expect(colorOf(channelType, status)).toBe(brand);
    for (const status of ['wrapping', 'completed', 'canceled'] as TaskStatus[]) expect(colorOf(channelType, status)).toBe(FLEX_GREY);
  });

  test('templates are manager.strings keys that cannot collide with Flex keys', () => {
    const task = chatTask({ channelType: 'webchat', name: 'Ada' });
    const key = Flex.TaskChannelHelper.getTemplateForStatus(
      task,
      Flex.TaskChannels.getForTask(task).templates?.TaskCanvasHeader?.title ?? '',
      Flex.TaskCanvasHeader as unknown as React.ComponentType,
    );
    expect(key).toBe(templateStringKey('webchat', ['TaskCanvasHeader', 'title']));
    expect(manager.strings[key as keyof typeof manager.strings]).toBe('{{task.attributes.name}} on the website');
    const flexKeys = Object.keys(manager.strings).filter((name) => !name.startsWith('PluginCustomChannels.'));
    expect(flexKeys.some((name) => name.includes('.'))).toBe(false);
  });

  test('a template per status keeps Flex defaults for the statuses it does not name', () => {
    const secondLine = Flex.TaskChannels.getForTask(chatTask({ channelType: 'webchat' })).templates?.TaskListItem?.secondLine as Record<string, string>;
    expect(secondLine.Pending).toBe(templateStringKey('webchat', ['TaskListItem', 'secondLine'], 'Pending'));
    expect(secondLine.Completed).toBeDefined();
    expect(secondLine.Completed).not.toMatch(/^PluginCustomChannels\./);
  });
});

describe('rendering with real Flex components', () => {
  const renderItem = (channelType: string, status: TaskStatus) => {
    const task = chatTask({ channelType, customChannelType: channelType, name: 'Ada Lovelace', from: 'Ada Lovelace' }, status);
    return render(withFlex(manager, task, <Flex.TaskListItem />));
  };

  test.each([
    ['webchat', 'Website chat', '#1F6FEB', 'Website chat · '],
    ['chatapp', 'ChatApp', '#00AA55', 'ChatApp message'],
  ])('TaskListItem of a %s task shows its icon in brand color and its templated lines', (channelType, label, brand, secondLine) => {
    const { unmount } = renderItem(channelType, 'accepted');
    const icon = screen.getAllByAltText(label)[0] as HTMLImageElement;
    const svg = channelsFile.channels.find((c) => c.channelType === channelType)?.icon ?? '';
    expect(icon.getAttribute('src')).toBe(svgDataUri(svg, brand));
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByText(new RegExp(secondLine.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))).toBeInTheDocument();
    unmount();
  });

  test('TaskListItem of a wrapping task draws the icon in Flex grey', () => {
    const { unmount } = renderItem('webchat', 'wrapping');
    const icon = screen.getAllByAltText('Website chat')[0] as HTMLImageElement;
    expect(decodeURIComponent(icon.getAttribute('src') ?? '')).toContain(FLEX_GREY);
    expect(screen.getByText('Website chat · wrap-up')).toBeInTheDocument();
    unmount();
  });

  test.each([
    ['webchat', 'Ada Lovelace on the website'],
    ['chatapp', 'Overridden Ada Lovelace'],
    ['kiosk', 'Ada Lovelace'],
  ])('TaskCanvasHeader of a %s task shows its templated title', (channelType, title) => {
    const task = chatTask({ channelType, name: 'Ada Lovelace', from: 'Ada Lovelace' });
    const { unmount } = render(withFlex(manager, task, <Flex.TaskCanvasHeader task={task} />));
    expect(screen.getByText(title)).toBeInTheDocument();
    unmount();
  });

  test('template values are escaped: a customer name cannot inject markup', () => {
    const task = chatTask({ channelType: 'webchat', name: '<b id="injected">x</b>' });
    const { container, unmount } = render(withFlex(manager, task, <Flex.TaskCanvasHeader task={task} />));
    expect(container.querySelector('#injected')).toBeNull();
    expect(screen.getByText('<b id="injected">x</b> on the website')).toBeInTheDocument();
    unmount();
  });
});

describe('every configured text lands where Flex reads it', () => {
  test.each([
    [['IncomingTaskCanvas', 'firstLine'], '{{task.attributes.name}}'],
    [['IncomingTaskCanvas', 'secondLine'], 'wants to chat from the website'],
    [['TaskCard', 'secondLine'], 'Website chat'],
    [['Supervisor', 'TaskCanvasHeader', 'title'], '{{task.attributes.name}} · Website chat'],
    [['Supervisor', 'TaskOverviewCanvas', 'secondLine'], 'Website chat'],
  ])('%j', (path, text) => {
    const definition = Flex.TaskChannels.getForTask(chatTask({ channelType: 'webchat' }));
    const key = path.reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], definition.templates);
    expect(key).toBe(templateStringKey('webchat', path));
    expect(manager.strings[key as keyof typeof manager.strings]).toBe(text);
  });
});
