import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import { agentOf, protectAgentRoutes, type AgentAuth } from '../agent-auth/index.js';
import type { ChannelRuntime } from '../config/channels.js';
import type { RoutingConfig } from '../config/config.js';
import type { FlexGateway } from '../flex/flex-gateway.js';
import { sendError } from '../http/errors.js';
import type { InboundPayload } from '../inbound/inbound-payload.js';
import type { LogHasher } from '../observability/log-hash.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { QueueEntry } from '../outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';
import { customerOrderingKey, type Store } from '../store/store.js';
import { agentStartStatusOf } from './agent-start-status.js';
import { reachabilityOf } from './reachability.js';

export interface AgentStartRouteOptions {
  auth: AgentAuth;
  channels: ReadonlyMap<string, ChannelRuntime>;
  routing: RoutingConfig;
  store: Store;
  queueEntry: QueueEntry;
  metrics: Metrics;
  logger: Logger;
  hashForLog: LogHasher;
  /** The clock messaging windows are measured with. */
  now?: () => number;
  /** Looks up whether an accepted request's first message reached the conversation. */
  gateway: Pick<FlexGateway, 'wasPosted'>;
}

const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** What the plugin sends; `requestId` is made once per submitted panel, so a double click or a retry is the same request. */
interface AgentStartBody {
  channelType: string;
  customerId: string;
  text: string;
  requestId: string;
}

const validateStatusQuery = new Ajv({ allErrors: false }).compile<{ channelType: string; customerId: string }>({
  type: 'object',
  required: ['channelType', 'customerId'],
  additionalProperties: false,
  properties: { channelType: { type: 'string', minLength: 1, maxLength: 64 }, customerId: { type: 'string', minLength: 1, maxLength: 256 } },
});

const validateBody = new Ajv({ allErrors: false }).compile<AgentStartBody>({
  type: 'object',
  required: ['channelType', 'customerId', 'text', 'requestId'],
  additionalProperties: false,
  properties: {
    channelType: { type: 'string', minLength: 1, maxLength: 64 },
    customerId: { type: 'string', minLength: 1, maxLength: 256 },
    text: { type: 'string', minLength: 1 },
    requestId: { type: 'string', pattern: REQUEST_ID.source },
  },
});

/**
 * `POST /agent/outbound`: an agent starts a conversation with a customer (see the README's
 * "Agents start the conversation"). Checked here, answered at once: the channel allows it,
 * the routing can reach one agent, the platform lets the kit write first to this customer.
 * Then one to-flex outbox entry per request does the rest, in the customer's order.
 */
export async function agentStartRoutes(scope: FastifyInstance, options: AgentStartRouteOptions): Promise<void> {
  const { channels, routing, store, metrics, logger, hashForLog } = options;
  protectAgentRoutes(scope, options.auth);

  scope.post('/', async (request, reply) => {
    const agent = agentOf(request);
    if (!validateBody(request.body)) {
      const error = validateBody.errors?.[0];
      return sendError(reply, 400, 'invalid_request', `${error?.instancePath || 'body'} ${error?.message ?? 'is invalid'}`, error?.instancePath || undefined);
    }
    const body = request.body;
    const channel = channels.get(body.channelType);
    const refuse = (status: number, code: string, message: string, field?: string) => {
      metrics.outboundStarts.inc({ channel: channel ? channel.channelType : 'unknown', outcome: code });
      return sendError(reply, status, code, message, field);
    };
    if (!channel) return refuse(404, 'unknown_channel', `no channel ${body.channelType.slice(0, 64)} is served here`, '/channelType');
    if (!channel.outbound)
      return refuse(403, 'outbound_not_enabled', `agents may not start conversations on ${channel.displayName} (channels.json "outbound")`, '/channelType');
    if (routing.kind !== 'interactions') {
      return refuse(
        409,
        'outbound_needs_interactions',
        'agent-started conversations are routed with the Interactions API (TWILIO_WORKSPACE_SID, TWILIO_WORKFLOW_SID), not a Studio flow',
      );
    }
    if ([...body.text].length > channel.maxMessageLength) {
      return refuse(400, 'message_too_long', `the message is longer than ${channel.maxMessageLength} characters, ${channel.displayName}'s limit`, '/text');
    }
    const reach = await reachabilityOf(channel, body.customerId, store, (options.now ?? Date.now)());
    if (!reach.reachable) return refuse(422, reach.reason, reach.message, '/customerId');

    const payload: InboundPayload = {
      version: OUTBOX_PAYLOAD_VERSION,
      channelType: channel.channelType,
      customer: { id: body.customerId, name: reach.customerName },
      message: { externalId: `outbound:${body.requestId}`, text: body.text },
      agentStart: { workerSid: agent.workerSid, author: agent.identity, requestId: body.requestId },
    };
    const orderingKey = customerOrderingKey(channel.channelType, body.customerId);
    const queued = await options.queueEntry({ queue: 'to-flex', orderingKey, payload }, [`outbound:${channel.channelType}:${body.requestId}`]);
    const status = queued ? 'accepted' : 'duplicate';
    metrics.outboundStarts.inc({ channel: channel.channelType, outcome: status });
    logger.info(
      { channel: channel.channelType, customer: hashForLog(body.customerId), worker: hashForLog(agent.workerSid), status },
      'agent started a conversation',
    );
    return reply.code(202).send({ status, requestId: body.requestId, ...(reach.notice ? { notice: reach.notice } : {}) });
  });

  /**
   * `GET /agent/outbound/:requestId?channelType=&customerId=`: what became of the agent's own
   * accepted request, which the plugin polls so that an opening that fails for good after the
   * 202 reaches the agent. Another agent's request is `pending` to them: nothing is told.
   */
  scope.get<{ Params: { requestId: string } }>('/:requestId', async (request, reply) => {
    const agent = agentOf(request);
    const query = { ...(request.query as Record<string, unknown>) };
    if (!REQUEST_ID.test(request.params.requestId)) return sendError(reply, 400, 'invalid_request', '/requestId must be 8-64 of A-Z a-z 0-9 _ -', '/requestId');
    if (!validateStatusQuery(query)) {
      const error = validateStatusQuery.errors?.[0];
      const field = error?.instancePath || (error?.params && 'missingProperty' in error.params ? `/${String(error.params.missingProperty)}` : undefined);
      return sendError(reply, 400, 'invalid_request', `${field ?? 'query'} ${error?.message ?? 'is invalid'}`, field);
    }
    const found = await agentStartStatusOf(
      { store, gateway: options.gateway },
      { requestId: request.params.requestId, channelType: query.channelType, customerId: query.customerId, workerSid: agent.workerSid },
    );
    return {
      requestId: request.params.requestId,
      ...found,
      ...(found.status === 'failed' ? { message: `the conversation could not be opened (${found.reason})` } : {}),
    };
  });
}
