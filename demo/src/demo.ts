import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelEnvPrefix } from '@custom-channels/contract';
import { loadChannelsFile } from '@custom-channels/contract/node';
import {
  botFlowDefinition,
  botMenuTemplate,
  createLogger,
  DEFAULT_BOT_FLOW_NAME,
  listening,
  loadConfig,
  type RunningMiddleware,
  startMiddleware,
} from '@custom-channels/middleware';
import { startSandbox, type Sandbox } from '@custom-channels/twilio-sandbox';
import { twilioClientFor } from '@custom-channels/twilio-sandbox/twilio-client';
import { startAgentView, type AgentView, type ReceivedDelivery } from './agent-view.js';
import { writeDemoChannelsFile } from './demo-survey.js';
import { startDemoMessengers } from './messengers.js';
import { createDemoTemplates } from './content-templates.js';

/** The secret of the demo's `webhook` channels (chatapp). A demo value: never use it elsewhere. */
export const DEMO_WEBHOOK_SECRET = 'demo-only-channel-secret-0123456789';
/** The demo's shop page at /webchat/, in place of the middleware's embedding example. */
const DEMO_WEBCHAT_PAGE_DIR = fileURLToPath(new URL('../public/webchat/', import.meta.url));
/** Keys the demo's log hashes; a real deployment gets its own from `npm run setup`. */
const DEMO_LOG_HASH_KEY = 'demo-only-log-hash-key-0123456789abcdef';

export interface DemoOptions {
  /** Interface every part listens on; default 127.0.0.1 (this machine only). */
  host?: string;
  /** The middleware: web chat page, widget, WebSocket, /inbound. Default 3000; 0 picks a free port. */
  middlewarePort?: number;
  /** The agent view. Default 3001; 0 picks a free port. */
  agentPort?: number;
  /** The Twilio stand-in. Default 4010; 0 picks a free port. */
  sandboxPort?: number;
  /** The Telegram Bot API stand-in and its customer page. Default 4020; 0 picks a free port. */
  telegramPort?: number;
  /** The LINE Messaging API stand-in and its customer page. Default 4030; 0 picks a free port. */
  linePort?: number;
  /** The Viber REST bot API stand-in and its customer page. Default 4040; 0 picks a free port. */
  viberPort?: number;
  /** The Instagram (Messenger Platform) stand-in and its customer page. Default 4050; 0 picks a free port. */
  instagramPort?: number;
  /** The middleware's SQLite file; default middleware/data/demo.sqlite. */
  databasePath?: string;
  /**
   * Start from an empty database (default true): the stand-in keeps its state in memory,
   * so conversations remembered from a previous run no longer exist.
   */
  resetDatabase?: boolean;
  channelsFile?: string;
  /** The middleware's log level; default warn (the demo prints its own lines). */
  logLevel?: string;
  /**
   * Route through the bot template of `npm run setup -- conversations --route studio --bot`
   * (a greeting and a menu before the agent; default true), else straight through the
   * Interactions API.
   */
  bot?: boolean;
  /**
   * Ask the web chat visitor the post-chat survey (`DEMO_SURVEY`) after the agent ends the
   * chat; default true. The survey goes into a copy of the channels file next to the database.
   */
  survey?: boolean;
  onDelivery?: (received: ReceivedDelivery) => void;
}

export interface Demo {
  urls: { webchat: string; agent: string; middleware: string; sandbox: string; telegram: string; line: string; viber: string; instagram: string };
  sandbox: Sandbox;
  middleware: RunningMiddleware;
  agentView: AgentView;
  databasePath: string;
  stop(): Promise<void>;
}

/**
 * Everything `npm run demo` runs, in this process, with no Twilio account: the stand-in,
 * the middleware on SQLite (conversations mode, routed through the bot template's Studio
 * flow, or the Interactions API, to the stand-in's seeded workspace and workflow), the web
 * chat page, the agent view, and Telegram, LINE and Viber stand-ins whose pages play a
 * customer on each messenger.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const host = options.host ?? '127.0.0.1';
  const databasePath = resolve(options.databasePath ?? fileURLToPath(new URL('../data/demo.sqlite', import.meta.url)));
  const sourceChannelsFile = resolve(options.channelsFile ?? fileURLToPath(new URL('../../channels.json', import.meta.url)));
  const channelsFile = (options.survey ?? true) ? writeDemoChannelsFile(sourceChannelsFile, dirname(databasePath)) : sourceChannelsFile;
  // Region and edge settings would send the twilio library to real Twilio hosts.
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  if (options.resetDatabase ?? true) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
  }

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const sandbox = await listening('Twilio stand-in', options.sandboxPort ?? 4010, 'DEMO_SANDBOX_PORT', (port) => startSandbox({ port, host, logger: false }));
    stops.push(() => sandbox.close());
    await createDemoTemplates(sandbox);

    // One file for the middleware, the plugin the agent view loads and the messenger stand-ins.
    const channels = loadChannelsFile(channelsFile).channels;
    const messengers = await startDemoMessengers({
      host,
      channels,
      telegramPort: options.telegramPort ?? 4020,
      linePort: options.linePort ?? 4030,
      viberPort: options.viberPort ?? 4040,
      instagramPort: options.instagramPort ?? 4050,
    });
    stops.push(() => messengers.close());
    // The middleware's public URL is part of its configuration (Twilio signs webhooks over it), so its port is chosen first.
    const middlewarePort = options.middlewarePort === 0 ? await freePort(host) : (options.middlewarePort ?? 3000);
    const middlewareUrl = `http://${host}:${middlewarePort}`;
    const agentView = await listening('agent view', options.agentPort ?? 3001, 'DEMO_AGENT_PORT', (port) =>
      startAgentView({
        host,
        port,
        sandboxUrl: sandbox.url,
        webhookSecret: DEMO_WEBHOOK_SECRET,
        channels,
        middlewareUrl,
        onDelivery: options.onDelivery,
      }),
    );
    stops.push(() => agentView.close());

    const webhookChannels: Record<string, string> = {};
    for (const channel of channels.filter((definition) => (definition.adapter ?? 'webhook') === 'webhook')) {
      const prefix = channelEnvPrefix(channel.channelType);
      webhookChannels[`${prefix}_SECRET`] = DEMO_WEBHOOK_SECRET;
      webhookChannels[`${prefix}_DELIVERY_URL`] = agentView.deliveryUrlFor(channel.channelType);
    }
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: sandbox.accountSid,
      TWILIO_AUTH_TOKEN: sandbox.authToken,
      TWILIO_API_BASE_URL: sandbox.url,
      PUBLIC_BASE_URL: middlewareUrl,
      HOST: host,
      PORT: String(middlewarePort),
      DATABASE_URL: `sqlite:${databasePath}`,
      ...(await routingEnv(sandbox, options.bot ?? true)),
      CHANNELS_FILE: channelsFile,
      LOG_HASH_KEY: DEMO_LOG_HASH_KEY,
      LOG_LEVEL: options.logLevel ?? 'warn',
      // The agent view is the demo's Flex: its plugin calls the agent routes with the agent's Flex token.
      FLEX_ALLOWED_ORIGINS: new URL(agentView.url).origin,
      ...webhookChannels,
      ...messengers.env,
    });
    const middleware = await listening('middleware', middlewarePort, 'DEMO_MIDDLEWARE_PORT', () =>
      startMiddleware({ ...config, outboxPollIntervalMs: 100 }, { logger: createLogger(config.logLevel), webchatPageDir: DEMO_WEBCHAT_PAGE_DIR }),
    );
    stops.push(() => {
      const stopped = middleware.stop();
      // The middleware's own stop waits for the connections a browser keeps open; the demo's Ctrl-C does not.
      middleware.app.http.server.closeAllConnections();
      return stopped;
    });
    messengers.connect(middleware.url);

    let stopping: Promise<void> | undefined;
    return {
      urls: {
        webchat: `${middleware.url}/webchat/`,
        agent: `${agentView.url}/`,
        middleware: middleware.url,
        sandbox: sandbox.url,
        ...messengers.urls,
      },
      sandbox,
      middleware,
      agentView,
      databasePath,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The middleware's route to Flex: the bot's Studio flow, published in the stand-in as setup publishes it, or the Interactions API. */
async function routingEnv(sandbox: Sandbox, bot: boolean): Promise<Record<string, string>> {
  const { workspaceSid, workflowSid, chatTaskChannelSid } = sandbox.seeded;
  if (!bot) return { TWILIO_WORKSPACE_SID: workspaceSid, TWILIO_WORKFLOW_SID: workflowSid };
  const client = twilioClientFor(sandbox);
  const menu = await client.content.v1.contents.create(botMenuTemplate() as never);
  const flow = await client.studio.v2.flows.create({
    friendlyName: DEFAULT_BOT_FLOW_NAME,
    status: 'published',
    definition: botFlowDefinition({ workflowSid, taskChannelSid: chatTaskChannelSid, menuContentSid: menu.sid }),
  });
  return { STUDIO_FLOW_SID: flow.sid };
}

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => server.once('error', fail).listen(0, host, done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
