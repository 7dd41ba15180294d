import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxMessageLengthOf, validateChannelsConfig } from '../dist/index';

const svg = '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';
const channel = (fields: Record<string, unknown>) => ({ channelType: 'support-bot', displayName: 'Support bot', color: '#229ED9', icon: svg, ...fields });

test('telegram and line are adapters, with an optional endedText', () => {
  const result = validateChannelsConfig({
    channels: [channel({ adapter: 'telegram', endedText: 'Bye!' }), channel({ channelType: 'line-oa', adapter: 'line' })],
  });
  assert.equal(result.ok, true, result.ok ? '' : result.problems.join('\n'));
  assert.equal(validateChannelsConfig({ channels: [channel({ adapter: 'kakaotalk' })] }).ok, false);
  assert.equal(validateChannelsConfig({ channels: [channel({ adapter: 'line', endedText: 7 })] }).ok, false);
});

test('viber is an adapter, with an optional sender of up to 28 characters and an https avatar', () => {
  const sender = (value: unknown) => validateChannelsConfig({ channels: [channel({ adapter: 'viber', sender: value })] }).ok;
  assert.equal(validateChannelsConfig({ channels: [channel({ adapter: 'viber' })] }).ok, true);
  assert.equal(sender({ name: 'Support', avatar: 'https://example.com/a.jpg' }), true);
  assert.equal(sender({ name: 'x'.repeat(29) }), false);
  assert.equal(sender({ avatar: 'http://example.com/a.jpg' }), false);
  assert.equal(sender({ name: 'Support', colour: 'red' }), false);
});

test("a messenger channel's message limit is its platform's unless it names a lower one", () => {
  assert.equal(maxMessageLengthOf({ adapter: 'telegram' }), 4096);
  assert.equal(maxMessageLengthOf({ adapter: 'line' }), 5000);
  assert.equal(maxMessageLengthOf({ adapter: 'viber' }), 7000);
  assert.equal(maxMessageLengthOf({ adapter: 'telegram', maxMessageLength: 1000 }), 1000);
  assert.equal(maxMessageLengthOf({ adapter: 'webhook' }), 32_768);
  assert.equal(maxMessageLengthOf({}), 32_768);
});
