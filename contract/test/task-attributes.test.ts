import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTaskAttributes, channelEnvPrefix, isTaskOfChannel } from '../dist/index';

test('task attributes carry the channel type twice, the name and the conversation', () => {
  assert.deepEqual(buildTaskAttributes({ channelType: 'chatapp', customerName: 'Ada', conversationSid: 'CH1' }), {
    channelType: 'chatapp',
    customChannelType: 'chatapp',
    name: 'Ada',
    from: 'Ada',
    conversationSid: 'CH1',
    conversations: { communication_channel: 'chatapp', initiated_by: 'customer', direction: 'inbound', conversation_id: 'CH1' },
  });
});

test('the Insights attributes: the display name as communication channel, an inbound chat the customer began, one conversation id', () => {
  const attributes = buildTaskAttributes({ channelType: 'webchat', customerName: 'Ada', channelDisplayName: 'Web chat', channelSid: 'CH2' });
  assert.deepEqual(attributes.conversations, { communication_channel: 'Web chat', initiated_by: 'customer', direction: 'inbound', conversation_id: 'CH2' });
  assert.equal(
    buildTaskAttributes({ channelType: 'webchat', customerName: 'Ada', conversationId: 'KD1', conversationSid: 'CH3' }).conversations.conversation_id,
    'KD1',
  );
  assert.equal('conversation_id' in buildTaskAttributes({ channelType: 'webchat', customerName: 'Ada' }).conversations, false);
});

test('a chat task matches its channel by channelType or by customChannelType', () => {
  assert.equal(isTaskOfChannel({ taskChannelUniqueName: 'chat', attributes: { channelType: 'chatapp' } }, 'chatapp'), true);
  assert.equal(isTaskOfChannel({ taskChannelUniqueName: 'chat', attributes: { channelType: 'web', customChannelType: 'chatapp' } }, 'chatapp'), true);
  assert.equal(isTaskOfChannel({ taskChannelUniqueName: 'voice', attributes: { channelType: 'chatapp' } }, 'chatapp'), false);
  assert.equal(isTaskOfChannel({ taskChannelUniqueName: 'chat', attributes: { channelType: 'web' } }, 'chatapp'), false);
  assert.equal(isTaskOfChannel({ taskChannelUniqueName: 'chat', attributes: null }, 'chatapp'), false);
});

test('environment variable prefix per channel', () => {
  assert.equal(channelEnvPrefix('webchat'), 'CHANNEL_WEBCHAT');
  assert.equal(channelEnvPrefix('chat-app'), 'CHANNEL_CHAT_APP');
});
