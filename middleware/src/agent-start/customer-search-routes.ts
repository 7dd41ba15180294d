import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import { protectAgentRoutes, type AgentAuth } from '../agent-auth/index.js';
import type { ChannelRuntime } from '../config/channels.js';
import { sendError } from '../http/errors.js';
import type { Store } from '../store/store.js';
import { reachabilityOfKnown } from './reachability.js';

export interface CustomerSearchRouteOptions {
  auth: AgentAuth;
  channels: ReadonlyMap<string, ChannelRuntime>;
  store: Pick<Store, 'searchCustomers'>;
  /** The clock messaging windows are measured with. */
  now?: () => number;
}

interface CustomerSearchQuery {
  channelType: string;
  q?: string;
  limit?: number;
}

/** A page the panel shows at once; more would be scrolling, not finding. */
const MAX_RESULTS = 50;

const validateQuery = new Ajv({ coerceTypes: true, allErrors: false }).compile<CustomerSearchQuery>({
  type: 'object',
  required: ['channelType'],
  additionalProperties: false,
  properties: {
    channelType: { type: 'string', minLength: 1, maxLength: 64 },
    q: { type: 'string', maxLength: 256 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_RESULTS },
  },
});

/**
 * `GET /agent/customers?channelType=&q=&limit=`: the customers of an outbound channel whose id
 * or name contains `q`, most recently seen first, each with whether the agent can write first
 * now (and why not), under the same rules `POST /agent/outbound` applies.
 */
export async function customerSearchRoutes(scope: FastifyInstance, options: CustomerSearchRouteOptions): Promise<void> {
  protectAgentRoutes(scope, options.auth);
  scope.get('/', async (request, reply) => {
    const query = { ...(request.query as Record<string, unknown>) };
    if (!validateQuery(query)) {
      const error = validateQuery.errors?.[0];
      const field = error?.instancePath || (error?.params && 'missingProperty' in error.params ? `/${String(error.params.missingProperty)}` : undefined);
      return sendError(reply, 400, 'invalid_request', `${field ?? 'query'} ${error?.message ?? 'is invalid'}`, field);
    }
    const channel = options.channels.get(query.channelType);
    if (!channel) return sendError(reply, 404, 'unknown_channel', `no channel ${query.channelType.slice(0, 64)} is served here`, '/channelType');
    if (!channel.outbound) {
      return sendError(
        reply,
        403,
        'outbound_not_enabled',
        `agents may not start conversations on ${channel.displayName} (channels.json "outbound")`,
        '/channelType',
      );
    }
    const matches = await options.store.searchCustomers({ channelType: channel.channelType, text: (query.q ?? '').trim(), limit: query.limit ?? 20 });
    const now = (options.now ?? Date.now)();
    return {
      customers: matches.map((match) => {
        const reach = reachabilityOfKnown(channel, match, now);
        return {
          customerId: match.customerId,
          customerName: match.customerName,
          lastSeenAt: new Date(match.lastSeenAt).toISOString(),
          ...(match.lastInboundAt === undefined ? {} : { lastMessageAt: new Date(match.lastInboundAt).toISOString() }),
          hasOpenConversation: match.hasOpenConversation,
          reachable: reach.reachable,
          ...(reach.reachable ? {} : { reason: reach.reason, message: reach.message }),
          ...(reach.reachable && reach.notice ? { notice: reach.notice } : {}),
          ...(match.hasOpenConversation ? { joins: 'they have a conversation in progress: your message joins it' } : {}),
        };
      }),
    };
  });
}
