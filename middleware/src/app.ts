import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { ChannelRuntime } from './config/channels.js';
import type { MiddlewareConfig } from './config/config.js';
import { type AdapterRegistry, createAdapterRegistry } from './delivery/channel-adapter.js';
import { readDeliveryPayload } from './delivery/channel-events.js';
import { createDeliveryHandler } from './delivery/delivery-handler.js';
import { createTooLongNotifier } from './delivery/too-long-notice.js';
import { createUndeliveredNotifier } from './delivery/undelivered-notice.js';
import { createWebhookAdapter } from './delivery/webhook-adapter.js';
import { createContentTemplates, DEFAULT_CONTENT_CACHE_SECONDS, type ContentTemplates } from './flex/content-templates.js';
import { createGatewayFor } from './flex/conversations-gateway.js';
import type { FlexGateway } from './flex/flex-gateway.js';
import { installErrorHandlers } from './http/errors.js';
import { inboundRoutes, warnAboutLegacySignatures } from './http/inbound-routes.js';
import { adminRoutes } from './http/admin-routes.js';
import { checkReadiness, operationsRoutes } from './http/operations-routes.js';
import { registerRuntimeGauges } from './observability/runtime-gauges.js';
import { TWILIO_WEBHOOK_PATHS, twilioRoutes } from './http/twilio-routes.js';
import { readInboundPayload } from './inbound/inbound-payload.js';
import { createInboundService, type InboundService } from './inbound/inbound-service.js';
import { createToFlexHandler } from './inbound/to-flex-handler.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { createLogHasher, type LogHasher } from './observability/log-hash.js';
import { stampingTraceContext } from './observability/trace-stamping-store.js';
import { NO_TRACING, startTracing, type Tracing } from './observability/tracing.js';
import { serverTimeoutOptions } from './http/server-timeouts.js';
import { createFlexEventHandler, type FlexEventHandler } from './outbound/flex-event-handler.js';
import { parseConversationsWebhook } from './outbound/twilio-events.js';
import { OutboxWorker, type QueueEntry, type WakeWorker } from './outbox/outbox-worker.js';
import { createCustomerIdentityFactory, createCustomerIdentityMatcher } from './security/customer-identity.js';
import { createTwilioRequestVerifier } from './security/twilio-signature.js';
import { createSessionEnder } from './sessions/session-ender.js';
import { createSessionOpener } from './sessions/session-opener.js';
import { createSurveyRunner } from './survey/survey-runner.js';
import { startSurveySweep } from './survey/survey-sweep.js';
import { createReadCoalescer, type ReadCoalescer } from './receipts/read-coalescer.js';
import { createReadHorizons } from './receipts/read-horizons.js';
import { eraseCustomer } from './retention/erasure.js';
import { erasureTombstonesFor } from './retention/erasure-tombstones.js';
import { startRetentionJob } from './retention/retention-job.js';
import { openStore } from './store/index.js';
import type { OutboxQueue, Store } from './store/store.js';
import { agentContentRoutes } from './rich/agent-content-routes.js';
import { createContentDelivery } from './rich/content-delivery.js';
import { createTwilioClient, type TwilioClient } from './twilio/client.js';
import { openWebchatFor, webchatRoutes, type Webchat } from './webchat/index.js';
import { webchatPresenceFor } from './webchat/webchat-presence.js';
import type { VisitorPresence } from './webchat/visitor-presence.js';
import { isMessengerAdapter } from '@custom-channels/contract';
import type { Messengers } from './messengers/messenger-webhook.js';
import { messengerRoutes } from './messengers/messenger-routes.js';
import { createSubscriptionRecorder } from './messengers/subscriptions.js';
import { openMessengersFor } from './messengers/messengers.js';
import { createUnreachableNotifier } from './messengers/unreachable-notice.js';
import { createMediaSteps, type MediaSteps } from './media/media-steps.js';
import { mediaRoutes } from './http/media-routes.js';
import { attachmentUploadRoutes } from './webchat/attachment-upload.js';
import { createUploadTickets, uploadTicketKey } from './webchat/upload-tickets.js';
import { startUploadCleanup, type UploadCleanupDeps } from './webchat/upload-cleanup.js';
import type { McsClient } from './flex/mcs-client.js';
import { DEFAULT_UPLOAD_LIMITS } from './webchat/upload-limits.js';
import { closeHttpBy, DEFAULT_SHUTDOWN, pause } from './lifecycle/shutdown.js';
import { agentAuthFor, agentIdentityRoutes } from './agent-auth/index.js';
import { createAgentStartHandler } from './agent-start/agent-start-handler.js';
import { agentStartRoutes } from './agent-start/agent-start-routes.js';
import { customerSearchRoutes } from './agent-start/customer-search-routes.js';
import { createInboundTimeRecorder } from './sessions/inbound-times.js';

export interface AppDeps {
  config: MiddlewareConfig;
  store: Store;
  twilioClient: TwilioClient;
  logger: Logger;
  /** Delivery adapters by kind; the built-in `webhook` adapter when omitted. */
  adapters?: AdapterRegistry;
  /** The web chat (adapter, WebSocket endpoint, widget files); channels with the `webchat` adapter are not served without it. */
  webchat?: Webchat;
  /** Telegram and LINE: their adapters and webhook routes; channels with those adapters are not served without them. */
  messengers?: Messengers;
  /** Traces of each message (observability/tracing.ts); none when omitted. */
  tracing?: Tracing;
}

export interface App {
  http: FastifyInstance;
  /** Starts the outbox workers; the HTTP side is started by listening. */
  startWorkers(): void;
  /**
   * Fails readiness, stops taking requests after the readiness delay, finishes the work in
   * hand until the grace runs out and releases what is left; does not close the store it was given.
   */
  stop(): Promise<void>;
}

/** Wires the middleware from its dependencies, without listening or opening anything itself. */
export function createApp(deps: AppDeps): App {
  const { config, twilioClient, logger } = deps;
  const tracing = deps.tracing ?? NO_TRACING;
  const store = stampingTraceContext(deps.store, tracing);
  const adapters =
    deps.adapters ?? createAdapterRegistry([createWebhookAdapter(), ...(deps.webchat ? [deps.webchat.adapter] : []), ...(deps.messengers?.adapters ?? [])]);
  const metrics = createMetrics(store);
  const channels = servedChannels(config.channels, adapters, logger);
  const presence = webchatPresenceFor({ webchat: deps.webchat, settings: config.webchat, routing: config.flex.routing, store, twilioClient, logger });
  const gateway = createGatewayFor(config, twilioClient, { webchatPresence: presence !== undefined });
  const hashForLog = createLogHasher(config.logHashKey);

  // The to-flex worker's handler itself queues deliveries (when Flex ended a session), so the
  // producers come first and reach each worker, once it is built, through this map.
  const workerOf = new Map<OutboxQueue, Pick<OutboxWorker<unknown>, 'nudge' | 'queueEntry'>>();
  const wake: WakeWorker = (queue) => workerOf.get(queue)?.nudge();
  const queueEntry: QueueEntry = async (entry, dedupeKeys, options) => {
    const worker = workerOf.get(entry.queue);
    if (!worker) throw new Error(`no outbox worker for the ${entry.queue} queue`);
    return worker.queueEntry(entry, dedupeKeys, options);
  };
  const endSession = createSessionEnder({ store, logger, metrics, wake });
  const openSession = createSessionOpener({
    store,
    gateway,
    identityFor: createCustomerIdentityFactory(config.customerIdentitySecret),
    logger,
    hashForLog,
    metrics,
  });
  const inbound = createInboundService({ logger, hashForLog, metrics, queueEntry });
  const survey = createSurveyRunner({ store, channels, gateway, logger, queueEntry });
  const handleFlexEvent = createFlexEventHandler({
    store,
    endSession,
    startSurvey: survey.start,
    logger,
    queueEntry,
    isCustomerIdentity: createCustomerIdentityMatcher(channels.keys()),
  });
  const readHorizons = createReadHorizons(gateway);
  const reads = createReadCoalescer({ store, horizons: readHorizons, logger, hashForLog });

  const workerOptions = {
    store,
    pollIntervalMs: config.outboxPollIntervalMs,
    leaseMs: config.outboxLeaseMs,
    concurrency: config.outboxConcurrency,
    logger,
    observe: metrics.observeAttempt,
    traceAttempt: tracing.traceAttempt,
  };
  const contentTemplates = createContentTemplates({ client: twilioClient, ttlMs: (config.contentCacheSeconds ?? DEFAULT_CONTENT_CACHE_SECONDS) * 1000 });
  const media = createMediaSteps(config, { gateway, store, logger, locatePlatformFile: deps.messengers?.locateFile });
  const workers = [
    new OutboxWorker({
      ...workerOptions,
      queue: 'to-flex',
      readPayload: readInboundPayload,
      handle: createToFlexHandler({
        channels,
        gateway,
        openSession,
        endSession,
        metrics,
        postAttachment: media.postAttachment,
        survey,
        startByAgent: createAgentStartHandler({ channels, store, gateway, openSession, metrics }),
        recordInboundTime: createInboundTimeRecorder(store),
      }),
      retryPolicy: config.retry.toFlex,
    }),
    new OutboxWorker({
      ...workerOptions,
      queue: 'to-channel',
      readPayload: readDeliveryPayload,
      handle: createDeliveryHandler({
        channels,
        adapters,
        metrics,
        notifyTooLong: createTooLongNotifier({ store, gateway, logger }),
        notifyUndelivered: createUndeliveredNotifier({ store, gateway, logger }),
        readHorizons,
        prepareMedia: media.prepareDelivery,
        prepareContent: createContentDelivery({ templates: contentTemplates, store, gateway, logger }),
      }),
      retryPolicy: config.retry.toChannel,
    }),
  ];
  for (const worker of workers) workerOf.set(worker.queue, worker);

  let accepting = false;
  registerRuntimeGauges(metrics.registry, {
    isReady: async () => (await checkReadiness({ store, isAccepting: () => accepting })).ready,
    webchatSockets: deps.webchat && { open: () => deps.webchat!.connections.size, limit: config.webchat.maxSockets },
    downloads: media.downloads,
  });
  let stopRetention = async (): Promise<void> => undefined;
  let stopUploadCleanup = async (): Promise<void> => undefined;
  let stopSurveySweep = async (): Promise<void> => undefined;
  const routeDeps = { ...deps, store, tracing };
  const http = createHttp(routeDeps, {
    metrics,
    channels,
    inbound,
    reads,
    handleFlexEvent,
    wake,
    queueEntry,
    isAccepting: () => accepting,
    hashForLog,
    media: { ...media, uploadServiceSid: () => gateway.uploadServiceSid() },
    gateway,
    contentTemplates,
    presence,
  });

  return {
    http,
    startWorkers() {
      for (const worker of workers) worker.start();
      stopRetention = startRetentionJob({ store, transcripts: deps.webchat?.log, policy: config.retention, logger });
      if (deps.webchat) stopUploadCleanup = startUploadCleanup(uploadCleanupDeps(config, store, media.mcs, logger));
      stopSurveySweep = startSurveySweep({
        runner: survey,
        records: store.surveys,
        retentionMs: config.retention.transcriptMs,
        intervalMs: config.surveySweepIntervalMs,
        logger,
      });
      accepting = true;
    },
    async stop() {
      const shutdown = config.shutdown ?? DEFAULT_SHUTDOWN;
      const deadline = AbortSignal.timeout(shutdown.graceMs);
      accepting = false;
      const housekeepingStopped = Promise.all([stopRetention(), stopUploadCleanup(), stopSurveySweep()]);
      // Load balancers see /readyz fail and stop sending before the listener goes away.
      await pause(shutdown.readinessDelayMs);
      await closeHttpBy(http, deadline);
      await Promise.all([...workers.map((worker) => worker.stop(deadline)), reads.close(), housekeepingStopped]);
      await media.spool.close();
      presence?.close();
    },
  };
}

/** What the routes are given besides the app's own dependencies. */
interface RouteParts {
  metrics: Metrics;
  channels: ReadonlyMap<string, ChannelRuntime>;
  inbound: InboundService;
  reads: ReadCoalescer;
  handleFlexEvent: FlexEventHandler;
  wake: WakeWorker;
  queueEntry: QueueEntry;
  isAccepting: () => boolean;
  hashForLog: LogHasher;
  media: Pick<MediaSteps, 'links' | 'mcs'> & { uploadServiceSid: () => Promise<string> };
  gateway: Pick<FlexGateway, 'removeConversation' | 'wasPosted' | 'postSystemNotice' | 'isSessionOpen' | 'postAgentContent' | 'isParticipant'>;
  contentTemplates: ContentTemplates;
  presence?: VisitorPresence;
}

/** The HTTP side: operations, admin, inbound and Twilio webhook routes, and the web chat's when there is one. */
function createHttp(deps: AppDeps, parts: RouteParts): FastifyInstance {
  const { config, store, logger } = deps;
  const { metrics, channels, inbound, wake } = parts;
  const http: FastifyInstance = Fastify<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger>({
    loggerInstance: logger,
    bodyLimit: config.inboundBodyLimitBytes,
    ...serverTimeoutOptions(config.httpTimeouts),
    // The routes log what matters, with personal data hashed; per-request lines would add client addresses.
    logController: new LogController({ disableRequestLogging: true }),
  });
  installErrorHandlers(http);
  deps.tracing?.traceRequests(http);
  void http.register(operationsRoutes, { store, metrics, logger, isAccepting: parts.isAccepting, adminToken: config.adminToken });
  void http.register(adminRoutes, {
    store,
    adminToken: config.adminToken,
    logger,
    hashForLog: parts.hashForLog,
    wake,
    erase: (channelType, customerId, withTwilio) => {
      parts.presence?.forget(channelType, customerId);
      return eraseCustomer({ store, transcripts: deps.webchat?.log, gateway: parts.gateway, mcs: parts.media.mcs }, channelType, customerId, withTwilio);
    },
  });
  // A messenger channel's secret verifies its platform's webhooks only.
  const signedChannels = new Map([...channels].filter(([, channel]) => channel.secret !== undefined && !isMessengerAdapter(channel.adapter)));
  warnAboutLegacySignatures(signedChannels, logger);
  void http.register(inboundRoutes, {
    channels: signedChannels,
    inbound,
    acceptRead: parts.reads.accept,
    metrics,
    bodyLimitBytes: config.inboundBodyLimitBytes,
    signatureToleranceSeconds: config.inboundSignatureToleranceSeconds,
  });
  const verify = createTwilioRequestVerifier(config.twilio.authToken, config.publicBaseUrl);
  const twilioWebhook = { verify, handle: parts.handleFlexEvent, metrics, limits: config.twilioWebhookLimits };
  void http.register(twilioRoutes, {
    ...twilioWebhook,
    kind: 'conversations',
    path: TWILIO_WEBHOOK_PATHS.conversations,
    parse: parseConversationsWebhook,
  });
  void http.register(mediaRoutes, { links: parts.media.links, mcs: parts.media.mcs, logger });
  const agentAuth = agentAuthFor(config, logger);
  void http.register(agentIdentityRoutes, { prefix: '/agent/me', auth: agentAuth });
  void http.register(agentContentRoutes, {
    prefix: '/agent/content',
    auth: agentAuth,
    channels,
    templates: parts.contentTemplates,
    store,
    gateway: parts.gateway,
    logger,
  });
  void http.register(agentStartRoutes, {
    prefix: '/agent/outbound',
    auth: agentAuth,
    channels,
    routing: config.flex.routing,
    store,
    queueEntry: parts.queueEntry,
    metrics,
    logger,
    hashForLog: parts.hashForLog,
    gateway: parts.gateway,
  });
  void http.register(customerSearchRoutes, { prefix: '/agent/customers', auth: agentAuth, channels, store });
  if (deps.webchat) {
    const tickets = createUploadTickets(uploadTicketKey(config.customerIdentitySecret));
    void http.register(webchatRoutes, {
      webchat: deps.webchat,
      channels,
      inbound,
      acceptRead: parts.reads.accept,
      logger,
      hashForLog: parts.hashForLog,
      uploads: {
        tickets,
        links: parts.media.links,
        markUsed: (channelType, visitorId, files) => markSent(store, channelType, visitorId, files),
      },
      settings: config.webchat,
      publicBaseUrl: config.publicBaseUrl,
      presence: parts.presence,
    });
    void http.register(attachmentUploadRoutes, {
      webchat: deps.webchat,
      channels,
      mcs: parts.media.mcs,
      tickets,
      records: store,
      limits: config.webchatUploads ?? DEFAULT_UPLOAD_LIMITS,
      allowedOrigins: config.webchat.allowedOrigins,
      publicBaseUrl: config.publicBaseUrl,
      serviceSid: parts.media.uploadServiceSid,
      logger,
      hashForLog: parts.hashForLog,
    });
  }
  if (deps.messengers) {
    void http.register(messengerRoutes, {
      channels: new Map([...channels].filter(([, channel]) => isMessengerAdapter(channel.adapter))),
      webhooks: deps.messengers.webhooks,
      inbound,
      metrics,
      bodyLimitBytes: config.inboundBodyLimitBytes,
      acceptRead: parts.reads.accept,
      noticeUnreachable: createUnreachableNotifier({ store, gateway: parts.gateway, logger, hashForLog: parts.hashForLog }),
      recordSubscription: createSubscriptionRecorder(store),
    });
  }
  return http;
}

/** Every file the message names is an upload of this visitor still known (not deleted for waiting too long). */
async function markSent(store: Store, channelType: string, visitorId: string, files: Array<{ mediaSid: string }>): Promise<boolean> {
  const mediaSids = [...new Set(files.map((file) => file.mediaSid))];
  return (await store.markUploadsUsed(channelType, visitorId, mediaSids)) === mediaSids.length;
}

function uploadCleanupDeps(config: MiddlewareConfig, store: Store, mcs: McsClient, logger: Logger): UploadCleanupDeps {
  return { records: store, mcs, limits: config.webchatUploads ?? DEFAULT_UPLOAD_LIMITS, usedRecordMs: config.retention.transcriptMs, logger };
}

/** The channels this build can serve: those whose adapter is registered. Others are reported, not fatal. */
function servedChannels(all: ChannelRuntime[], adapters: AdapterRegistry, logger: Logger): Map<string, ChannelRuntime> {
  const served = new Map<string, ChannelRuntime>();
  for (const channel of all) {
    if (adapters.get(channel.adapter)) served.set(channel.channelType, channel);
    else logger.warn({ channel: channel.channelType, adapter: channel.adapter }, 'no adapter of this kind is available; the channel is not served');
  }
  return served;
}

export interface StartOverrides {
  twilioClient?: TwilioClient;
  logger?: Logger;
  adapters?: AdapterRegistry;
  /** The page at /webchat/ (index.html, page.css): the embedding example unless given (the demo gives its shop page). */
  webchatPageDir?: string;
  tracing?: Tracing;
}

export interface RunningMiddleware {
  /** The local URL it listens on. */
  url: string;
  port: number;
  app: App;
  store: Store;
  stop(): Promise<void>;
}

/** Opens the store, listens on config.port (0 picks a free port), starts the workers. */
export async function startMiddleware(config: MiddlewareConfig, overrides: StartOverrides = {}): Promise<RunningMiddleware> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const store = await openStore(config.database, {
    retention: config.retention,
    onError: (error) => logger.warn({ err: error }, 'store connection problem'),
    tombstones: erasureTombstonesFor(config),
  });
  const twilioClient =
    overrides.twilioClient ??
    createTwilioClient({
      accountSid: config.twilio.accountSid,
      authToken: config.twilio.authToken,
      apiKeySid: config.twilio.apiKeySid,
      apiKeySecret: config.twilio.apiKeySecret,
      apiBaseUrl: config.twilio.apiBaseUrl,
      timeoutMs: config.twilio.timeoutMs,
    });
  let webchat: Webchat | undefined;
  let messengers: Messengers | undefined;
  const tracing = overrides.tracing ?? (await startTracing(config.tracing, { hashForLog: createLogHasher(config.logHashKey), logger }));
  tracing.traceTwilioCalls(twilioClient);
  try {
    webchat = await openWebchatFor(config, store.transcripts, logger, overrides.webchatPageDir);
    messengers = await openMessengersFor(config.channels);
  } catch (error) {
    await store.close();
    throw error;
  }
  const app = createApp({ config, store, twilioClient, logger, adapters: overrides.adapters, webchat, messengers, tracing });
  try {
    await app.http.listen({ port: config.port, host: config.host });
  } catch (error) {
    await store.close();
    throw error;
  }
  app.startWorkers();
  const address = app.http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, routing: config.flex.routing.kind, channels: config.channels.map((channel) => channel.channelType) }, 'middleware started');

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    store,
    stop() {
      // The spans of the work just finished are exported before the process ends.
      stopping ??= app.stop().finally(() => Promise.all([store.close(), tracing.shutdown()]));
      return stopping;
    },
  };
}
