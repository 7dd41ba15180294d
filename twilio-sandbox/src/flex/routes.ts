import type { Ctx } from '../context.js';
import type { RouteTable } from '../http.js';
import { registerFlexConfigurationRoutes } from './configuration.js';
import { registerFlexFlowRoutes } from './flex-flows.js';
import { registerChannelParticipantRoutes } from './channel-participants.js';
import { registerInteractionRoutes } from './interactions.js';
import { registerInviteRoutes } from './invites.js';
import { registerTransferRoutes } from './transfers.js';

/** Flex v1: Flex Flows (list and create only, to seed a legacy one), Interactions (their channels, participants, invites and transfers) and the account configuration. */
export function registerFlexRoutes(route: RouteTable, ctx: Ctx): void {
  registerFlexFlowRoutes(route, ctx);
  registerInteractionRoutes(route, ctx);
  registerChannelParticipantRoutes(route, ctx);
  registerInviteRoutes(route, ctx);
  registerTransferRoutes(route, ctx);
  registerFlexConfigurationRoutes(route, ctx);
}
