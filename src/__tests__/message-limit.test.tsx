import * as Flex from '@twilio/flex-ui';
import { FLEX_CHAT_CHAR_LIMIT } from '@custom-channels/contract';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { chatTask, createFlexManager } from './support/flex';

const charLimitFor = (channelType: string) => Flex.TaskChannels.getForTask(chatTask({ channelType })).charLimit;
const flexOwnChannels = ['web', 'sms', 'whatsapp'];
let flexOwnLimits: (number | undefined)[];

beforeAll(async () => {
  flexOwnLimits = flexOwnChannels.map(charLimitFor);
  const manager = await createFlexManager({
    custom_data: { customChannels: { chatapp: { maxMessageLength: 1000 } } },
  });
  new CustomChannelsPlugin().init(Flex, manager);
});

describe("the channel's maxMessageLength as Flex's charLimit", () => {
  test('a channel with a maxMessageLength gets it as the charLimit of its registered definition', () => {
    expect(charLimitFor('chatapp')).toBe(1000);
  });

  test("a channel without one keeps Flex's chat limit", () => {
    expect(charLimitFor('webchat')).toBe(FLEX_CHAT_CHAR_LIMIT);
  });

  test("Flex's own chat tasks keep the limits Flex gives them", () => {
    expect(flexOwnLimits).not.toContain(undefined);
    expect(flexOwnChannels.map(charLimitFor)).toEqual(flexOwnLimits);
  });
});
