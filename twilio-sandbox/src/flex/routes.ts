import type { Ctx } from '../context.js';
import type { RouteTable } from '../http.js';
import { registerFlexChannelRoutes } from './channels.js';
import { registerFlexConfigurationRoutes } from './configuration.js';
import { registerFlexFlowRoutes } from './flex-flows.js';
import { registerInteractionRoutes } from './interactions.js';

/** Flex v1: Flex Flows, legacy Flex chat channels, Interactions and the account configuration. */
export function registerFlexRoutes(route: RouteTable, ctx: Ctx): void {
  registerFlexFlowRoutes(route, ctx);
  registerFlexChannelRoutes(route, ctx);
  registerInteractionRoutes(route, ctx);
  registerFlexConfigurationRoutes(route, ctx);
}
