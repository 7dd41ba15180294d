import type { FlexConfig } from '../config/config.js';
import type { TwilioClient } from '../twilio/client.js';
import { createChatReadHorizons } from './chat-read-horizons.js';
import { createConversationsReadHorizons } from './conversations-read-horizons.js';
import type { ReadHorizons } from './read-horizons.js';

export function readHorizonsFor(flex: FlexConfig, client: TwilioClient): ReadHorizons {
  return flex.mode === 'flex-flow' ? createChatReadHorizons(client, flex.chatServiceSid) : createConversationsReadHorizons(client);
}
