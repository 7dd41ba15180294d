import * as Flex from '@twilio/flex-ui';
import { FLEX_CHAT_CHAR_LIMIT } from '@custom-channels/contract';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { chatTask, createFlexManager } from './support/flex';

const CHATAPP_LIMIT = 1000;
const charLimitFor = (channelType: string) => Flex.TaskChannels.getForTask(chatTask({ channelType })).charLimit;
const flexOwnChannels = ['web', 'sms', 'whatsapp'];
let flexOwnLimits: (number | undefined)[];

beforeAll(async () => {
  flexOwnLimits = flexOwnChannels.map(charLimitFor);
  const manager = await createFlexManager({
    custom_data: { customChannels: { chatapp: { maxMessageLength: CHATAPP_LIMIT } } },
  });
  new CustomChannelsPlugin().init(Flex, manager);
});

describe("the channel's maxMessageLength as Flex's charLimit", () => {
  test('a channel with a maxMessageLength gets it as the charLimit of its registered definition', () => {
    expect(charLimitFor('chatapp')).toBe(CHATAPP_LIMIT);
  });

  test("a channel without one keeps Flex's chat limit", () => {
    expect(charLimitFor('webchat')).toBe(FLEX_CHAT_CHAR_LIMIT);
  });

  test("Flex's own chat tasks keep the limits Flex gives them", () => {
    expect(flexOwnLimits).not.toContain(undefined);
    expect(flexOwnChannels.map(charLimitFor)).toEqual(flexOwnLimits);
  });
});

describe("Flex's SendMessage action honours the limit", () => {
  const conversationSid = 'CH00000000000000000000000000000001';
  const delivered: string[] = [];

  beforeAll(() => {
    // Flex finds the task of a conversation in its store; this stands in for the store's task.
    const task = chatTask({ channelType: 'chatapp', conversationSid });
    jest.spyOn(Flex.TaskHelper, 'getTaskFromConversationSid').mockReturnValue(task);
    Flex.Actions.replaceAction('SendMessage', async (payload: { body: string }) => {
      delivered.push(payload.body);
    });
  });

  test('a message at the limit is sent, one longer is stopped by Flex', async () => {
    const atLimit = 'a'.repeat(CHATAPP_LIMIT);
    await Flex.Actions.invokeAction('SendMessage', { conversationSid, body: atLimit });
    await expect(Flex.Actions.invokeAction('SendMessage', { conversationSid, body: 'b'.repeat(CHATAPP_LIMIT + 1) })).rejects.toThrow(/cancelled/);
    expect(delivered).toEqual([atLimit]);
  });
});
