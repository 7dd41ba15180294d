import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { botFlowDefinition, botMenuTemplate, conversationsFlowDefinition, createTwilioClient } from '@custom-channels/middleware';
import { writeChannelsFile } from './channels-file.js';
import type { StandInAddress } from './sandbox-process.js';

/** The log hash key of every middleware under test (a real deployment gets its own from `npm run setup`). */
export const TEST_LOG_HASH_KEY = 'test-log-hash-key-0123456789abcdef';

/** `studio-bot`: through the bot template of `npm run setup -- conversations --route studio --bot`. */
export type FlexRouting = 'interactions' | 'studio' | 'studio-bot';

export interface MiddlewareEnvironmentOptions {
  /** The stand-in: its account, and (unless `twilioUrl` says otherwise) its address. */
  sandbox: StandInAddress;
  /** Where the middleware listens. */
  port: number;
  /** The `chatapp` channel's secret and delivery URL. */
  channelSecret: string;
  deliveryUrl: string;
  /** Default `interactions`; the Studio flow the other route needs is created in the stand-in. */
  routing?: FlexRouting;
  /** Default: a SQLite file in a fresh temp folder. */
  databaseUrl?: string;
  /** Default: the stand-in's URL; a proxy in front of it otherwise. */
  twilioUrl?: string;
  /** Default: the middleware's own address; a load balancer in front of the instances otherwise. */
  publicBaseUrl?: string;
}

/**
 * The environment a middleware under test runs with, in-process (`loadConfig(env)`) or as a
 * child process: everything is in it, and ENV_FILE names an empty file so that no .env on
 * disk is read. Channels: `chatapp` (webhook) and `webchat`, from `writeChannelsFile`.
 */
export async function middlewareEnvironment(options: MiddlewareEnvironmentOptions): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-middleware-'));
  const envFile = join(dir, 'empty.env');
  writeFileSync(envFile, '');
  const { sandbox, port } = options;
  return {
    ENV_FILE: envFile,
    TWILIO_ACCOUNT_SID: sandbox.accountSid,
    TWILIO_AUTH_TOKEN: sandbox.authToken,
    TWILIO_API_BASE_URL: options.twilioUrl ?? sandbox.url,
    PUBLIC_BASE_URL: options.publicBaseUrl ?? `http://127.0.0.1:${port}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl ?? `sqlite:${join(dir, 'middleware.sqlite')}`,
    CHANNELS_FILE: writeChannelsFile(),
    CHANNEL_CHATAPP_SECRET: options.channelSecret,
    CHANNEL_CHATAPP_DELIVERY_URL: options.deliveryUrl,
    LOG_HASH_KEY: TEST_LOG_HASH_KEY,
    ...(await flexEnvironment(options.routing ?? 'interactions', sandbox)),
  };
}

/** The environment of one route to Flex, with the Studio flow it needs created in the stand-in. */
async function flexEnvironment(routing: FlexRouting, sandbox: StandInAddress): Promise<Record<string, string>> {
  const { workspaceSid, workflowSid, chatTaskChannelSid } = sandbox.seeded;
  if (routing === 'interactions') return { TWILIO_WORKSPACE_SID: workspaceSid, TWILIO_WORKFLOW_SID: workflowSid };
  const admin = createTwilioClient({
    accountSid: sandbox.accountSid,
    authToken: sandbox.authToken,
    apiBaseUrl: sandbox.url,
  });
  // The flow `npm run setup` creates (and for the bot, the Content template its menu is sent with).
  const input = { workflowSid, taskChannelSid: chatTaskChannelSid };
  const bot = async () => {
    const menu = await admin.content.v1.contents.create(botMenuTemplate() as never);
    return botFlowDefinition({ ...input, menuContentSid: menu.sid });
  };
  const flow = await admin.studio.v2.flows.create({
    friendlyName: routing === 'studio-bot' ? 'Bot, then Send to Flex' : 'Send to Flex',
    status: 'published',
    definition: routing === 'studio-bot' ? await bot() : conversationsFlowDefinition(input),
  });
  return { STUDIO_FLOW_SID: flow.sid };
}
