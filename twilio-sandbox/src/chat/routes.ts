import type { Ctx } from '../context.js';
import type { RouteTable } from '../http.js';
import { registerChannelRoutes } from './channels.js';
import { registerMemberRoutes } from './members.js';
import { registerChatMessageRoutes } from './messages.js';
import { registerChatServiceRoutes } from './services.js';
import { registerChannelWebhookRoutes } from './webhooks.js';

/** Programmable Chat v2 (legacy Flex chat): services, channels, members, messages, channel webhooks. */
export function registerChatRoutes(route: RouteTable, ctx: Ctx): void {
  registerChatServiceRoutes(route, ctx);
  registerChannelRoutes(route, ctx);
  registerMemberRoutes(route, ctx);
  registerChatMessageRoutes(route, ctx);
  registerChannelWebhookRoutes(route, ctx);
}
