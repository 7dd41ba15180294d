import type { FastifyInstance } from 'fastify';
import { agentOf, protectAgentRoutes, type AgentAuth } from './agent-routes.js';

/**
 * `GET /agent/me`: the worker the middleware takes from the caller's Flex token, so the plugin
 * can check once that the middleware accepts its agents before offering agent features.
 */
export async function agentIdentityRoutes(scope: FastifyInstance, options: { auth: AgentAuth }): Promise<void> {
  protectAgentRoutes(scope, options.auth);
  scope.get('/', async (request) => {
    const agent = agentOf(request);
    return { workerSid: agent.workerSid, roles: agent.roles, expiresAt: agent.expiresAt.toISOString() };
  });
}
