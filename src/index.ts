import * as FlexPlugin from '@twilio/flex-plugin';
import CustomChannelsPlugin from './CustomChannelsPlugin';

FlexPlugin.loadPlugin(CustomChannelsPlugin);
