import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelDefinition, mergeChannelOverrides } from '../dist/index';

const base: ChannelDefinition[] = [
  {
    channelType: 'webchat',
    displayName: 'Website chat',
    color: '#1F6FEB',
    icon: '<svg></svg>',
    adapter: 'webchat',
    templates: { taskListItem: { firstLine: '{{task.attributes.name}}', secondLine: 'Website chat' } },
  },
  { channelType: 'chatapp', displayName: 'ChatApp', color: '#7B3FE4', icon: '<svg></svg>' },
];

test('no overrides keeps the channels as they are', () => {
  assert.deepEqual(mergeChannelOverrides(base, undefined), { channels: base, problems: [] });
});

test('overrides fields of a channel, merging templates line by line', () => {
  const { channels, problems } = mergeChannelOverrides(base, {
    webchat: { color: '#FF0000', templates: { taskListItem: { secondLine: 'Site' }, taskCard: { firstLine: 'Card' } } },
  });
  assert.deepEqual(problems, []);
  assert.equal(channels[0]?.color, '#FF0000');
  assert.equal(channels[0]?.displayName, 'Website chat');
  assert.deepEqual(channels[0]?.templates, {
    taskListItem: { firstLine: '{{task.attributes.name}}', secondLine: 'Site' },
    taskCard: { firstLine: 'Card' },
  });
  assert.equal(base[0]?.color, '#1F6FEB', 'the base list is not mutated');
});

test('adds a complete new channel', () => {
  const { channels, problems } = mergeChannelOverrides(base, {
    'line-works': { displayName: 'LINE WORKS', color: '#00C300', icon: '<svg><path d="M0 0"/></svg>' },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(
    channels.map((c) => c.channelType),
    ['webchat', 'chatapp', 'line-works'],
  );
});

test('skips an invalid entry, naming channel and field, and keeps every other channel', () => {
  const { channels, problems } = mergeChannelOverrides(base, {
    webchat: { color: 'red' },
    chatapp: { displayName: 'Chat App' },
    newcomer: { displayName: 'No icon', color: '#000000' },
    sms: { displayName: 'Hijack', color: '#000000', icon: '<svg></svg>' },
  });
  assert.deepEqual(problems, [
    'custom_data.customChannels["webchat"]: field "color" must be a hex color such as "#1F6FEB"',
    'custom_data.customChannels["newcomer"]: field "icon" is required',
    'custom_data.customChannels["sms"]: field "channelType" must be 3-32 lowercase letters, digits or dashes, starting with a letter, and not one of Flex\'s own chat types (web, sms, whatsapp, messenger, ...)',
  ]);
  assert.deepEqual(
    channels.map((c) => [c.channelType, c.displayName, c.color]),
    [
      ['webchat', 'Website chat', '#1F6FEB'],
      ['chatapp', 'Chat App', '#7B3FE4'],
    ],
  );
});

test('rejects overrides of the wrong shape without touching the channels', () => {
  assert.deepEqual(mergeChannelOverrides(base, ['webchat']).problems, ['custom_data.customChannels: must be an object keyed by channelType']);
  const { channels, problems } = mergeChannelOverrides(base, { webchat: 'blue', chatapp: { channelType: 'other' } });
  assert.deepEqual(problems, [
    'custom_data.customChannels["webchat"]: must be an object of channel fields',
    'custom_data.customChannels["chatapp"]: field "channelType" must equal its key "chatapp" when given',
  ]);
  assert.deepEqual(channels, base);
});
