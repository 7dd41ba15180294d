import { randomUUID } from 'node:crypto';
import type { ChannelRuntime } from '../config/channels.js';
import type { AgentStart, FlexGateway } from '../flex/flex-gateway.js';
import type { Logger } from '../observability/logger.js';
import type { LogHasher } from '../observability/log-hash.js';
import type { Metrics } from '../observability/metrics.js';
import type { CustomerIdentityFactory } from '../security/customer-identity.js';
import type { Session, Store } from '../store/store.js';
import { failureOf } from '../flex/twilio-errors.js';

export interface Customer {
  id: string;
  name: string;
}

export interface SessionOpenerDeps {
  store: Store;
  gateway: FlexGateway;
  identityFor: CustomerIdentityFactory;
  logger: Logger;
  /** Stands in for customer and visitor ids in log lines. */
  hashForLog: LogHasher;
  metrics: Metrics;
  now?: () => number;
}

/** An agent's outbound request opening the session: routed to that worker, recorded with the request's id. */
export interface AgentStartRequest extends AgentStart {
  requestId: string;
}

export interface OpeningOptions {
  /** Routes a session this call creates to the agent who asked for it. */
  agentStart?: AgentStartRequest;
  /** The customer's active session as a read just made found it (null: none), so the opener need not read it again. */
  found?: Session | null;
}

export type SessionOpener = (channel: ChannelRuntime, customer: Customer, options?: OpeningOptions) => Promise<Session>;

/**
 * Finds the customer's open session or creates one (createNewChannel). Callers serialise
 * calls per customer (the to-flex outbox does); the store's unique index backs that up.
 * A creation that fails half way for a reason that may pass (throttling, a 5xx, a timeout),
 * or that a crash cut short, is left `creating` with what it recorded, and the next attempt
 * resumes it from there; a failure that will not pass undoes it, and the next attempt starts again.
 */
export function createSessionOpener(deps: SessionOpenerDeps): SessionOpener {
  const { store, gateway, identityFor, logger, metrics, hashForLog } = deps;
  const now = deps.now ?? Date.now;

  const discard = async (session: Session): Promise<void> => {
    await gateway.discardSession(session);
    await store.deleteSession(session.id);
    logger.info({ sessionId: session.id, channel: session.channelType }, 'rolled back an unfinished session');
  };

  const begin = async (channel: ChannelRuntime, customer: Customer, agentStart: AgentStartRequest | undefined): Promise<Session> => {
    const session: Session = {
      id: `ccs_${randomUUID().replaceAll('-', '')}`,
      channelType: channel.channelType,
      customerId: customer.id,
      customerName: customer.name,
      identity: identityFor(channel.channelType, customer.id),
      state: 'creating',
      resources: agentStart ? { agentStartId: agentStart.requestId } : {},
      createdAt: now(),
    };
    if (!(await store.insertSession(session))) {
      throw new Error('another worker is opening a session for this customer');
    }
    return session;
  };

  return async (channel, customer, { agentStart, found } = {}) => {
    const existing = found === undefined ? await store.findActiveSession(channel.channelType, customer.id) : (found ?? undefined);
    if (existing?.state === 'open') return existing;
    const session = existing ? { ...existing, resources: { ...existing.resources } } : await begin(channel, customer, agentStart);
    const log = logger.child({
      sessionId: session.id,
      channel: channel.channelType,
      customer: hashForLog(customer.id),
    });
    if (existing) log.info({ recorded: Object.keys(session.resources) }, 'resuming an unfinished session');
    try {
      // A resumed creation is routed as it began: to the agent who started it, if one did.
      const routedTo = session.resources.agentStartId && agentStart?.requestId === session.resources.agentStartId ? agentStart : undefined;
      await gateway.openSession(
        session,
        channel,
        async (resources) => {
          Object.assign(session.resources, resources);
          await store.recordSessionResources(session.id, resources);
        },
        routedTo,
      );
    } catch (error) {
      metrics.sessionsOpened.inc({ channel: channel.channelType, outcome: 'failed' });
      if (failureOf(error).kind !== 'permanent') {
        log.warn({ err: error }, 'opening a session failed; the next attempt resumes it');
        throw error;
      }
      log.warn({ err: error }, 'opening a session failed; rolling back');
      // If the roll-back fails too, the row stays `creating` and the next attempt deals with it.
      await discard(session).catch((rollbackError: unknown) => log.error({ err: rollbackError }, 'rolling back a session failed'));
      throw error;
    }
    await store.markSessionOpen(session.id);
    metrics.sessionsOpened.inc({ channel: channel.channelType, outcome: 'opened' });
    log.info({ conversationSid: session.resources.conversationSid }, 'session opened');
    return { ...session, state: 'open' };
  };
}
