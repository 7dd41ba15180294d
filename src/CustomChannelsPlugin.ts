import * as Flex from '@twilio/flex-ui';
import { FlexPlugin } from '@twilio/flex-plugin';
import { registerCustomChannels } from './channels/register';
import { notifyConfigurationProblems } from './notifications/configurationProblems';
import { addChannelPanels } from './panel/register';
import { addAttachmentButtons } from './attachments/register';
import { addRichMessageControls } from './rich/register';

export const PLUGIN_NAME = 'CustomChannelsPlugin';

export default class CustomChannelsPlugin extends FlexPlugin {
  constructor() {
    super(PLUGIN_NAME);
  }

  /** Synchronous on purpose: task channels must be registered before the manager loads. */
  init(flex: typeof Flex, manager: Flex.Manager): void {
    const { registered, problems } = registerCustomChannels(flex, manager);
    addChannelPanels(flex, manager, registered);
    addAttachmentButtons(flex, manager, registered);
    addRichMessageControls(flex, manager, registered);
    notifyConfigurationProblems(flex, manager, problems);
  }
}
