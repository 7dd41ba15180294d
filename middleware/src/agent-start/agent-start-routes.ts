import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import { agentOf, protectAgentRoutes, type AgentAuth } from '../agent-auth/index.js';
import type { ChannelRuntime } from '../config/channels.js';
import type { RoutingConfig } from '../config/config.js';
import { sendError } from '../http/errors.js';
import type { InboundPayload } from '../inbound/inbound-payload.js';
import type { LogHasher } from '../observability/log-hash.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { WakeWorker } from '../outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';
import { customerOrderingKey, type Store } from '../store/store.js';
import { reachabilityOf } from './reachability.js';

export interface AgentStartRouteOptions {
  auth: AgentAuth;
  channels: ReadonlyMap<string, ChannelRuntime>;
  routing: RoutingConfig;
  store: Store;
  wake: WakeWorker;
  metrics: Metrics;
  logger: Logger;
  hashForLog: LogHasher;
  /** The clock messaging windows are measured with. */
  now?: () => number;
}

/** What the plugin sends; `requestId` is made once per submitted panel, so a double click or a retry is the same request. */
interface AgentStartBody {
  channelType: string;
  customerId: string;
  text: string;
  requestId: string;
}

const validateBody = new Ajv({ allErrors: false }).compile<AgentStartBody>({
  type: 'object',
  required: ['channelType', 'customerId', 'text', 'requestId'],
  additionalProperties: false,
  properties: {
    channelType: { type: 'string', minLength: 1, maxLength: 64 },
    customerId: { type: 'string', minLength: 1, maxLength: 256 },
    text: { type: 'string', minLength: 1 },
    requestId: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' },
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
    const queued = await store.enqueue({ queue: 'to-flex', orderingKey, payload }, [`outbound:${channel.channelType}:${body.requestId}`]);
    if (queued) options.wake('to-flex');
    const status = queued ? 'accepted' : 'duplicate';
    metrics.outboundStarts.inc({ channel: channel.channelType, outcome: status });
    logger.info(
      { channel: channel.channelType, customer: hashForLog(body.customerId), worker: hashForLog(agent.workerSid), status },
      'agent started a conversation',
    );
    return reply.code(202).send({ status, requestId: body.requestId, ...(reach.notice ? { notice: reach.notice } : {}) });
  });
}
