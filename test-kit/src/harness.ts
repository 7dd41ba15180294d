import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startSandbox, type Sandbox } from '@custom-channels/twilio-sandbox';
import { startMiddleware, type RunningMiddleware } from '@custom-channels/middleware/app';
import { loadConfig } from '@custom-channels/middleware/config/load-config';
import { createLogger } from '@custom-channels/middleware/observability/logger';
import { signBody } from '@custom-channels/middleware/security/hub-signature';
import { createTwilioClient, type TwilioClient } from '@custom-channels/middleware/twilio/client';
import { writeChannelsFile } from './channels-file.js';
import { freePort } from './free-port.js';
import { startReceiver, type Receiver } from './receiver.js';
import { SandboxControl } from './sandbox-control.js';

export const CHANNEL_SECRET = 'chatapp-secret-for-tests-0123456789';

export type FlexRouting = 'interactions' | 'studio' | 'flex-flow';

export interface HarnessOptions {
  routing: FlexRouting;
  /** More environment variables for the middleware (e.g. ADMIN_TOKEN). */
  env?: Record<string, string>;
}

/**
 * The stand-in, a channel's delivery endpoint, and the middleware in-process on a free
 * port, wired with the real `twilio` library. Counts every request the middleware makes
 * to Twilio and keeps every log line it writes.
 */
export async function startHarness(options: HarnessOptions) {
  // Region and edge settings would rewrite the stand-in's host.
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  const sandbox: Sandbox = await startSandbox({ port: 0, logger: false });
  const receiver: Receiver = await startReceiver(CHANNEL_SECRET);
  const admin = createTwilioClient({ accountSid: sandbox.accountSid, authToken: sandbox.authToken, apiBaseUrl: sandbox.url });
  const control = new SandboxControl(sandbox.url);
  const port = await freePort();
  const databasePath = join(mkdtempSync(join(tmpdir(), 'cc-middleware-')), 'middleware.sqlite');

  const env: Record<string, string> = {
    TWILIO_ACCOUNT_SID: sandbox.accountSid,
    TWILIO_AUTH_TOKEN: sandbox.authToken,
    TWILIO_API_BASE_URL: sandbox.url,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${databasePath}`,
    LOG_LEVEL: 'debug',
    CHANNELS_FILE: writeChannelsFile(),
    CHANNEL_CHATAPP_SECRET: CHANNEL_SECRET,
    CHANNEL_CHATAPP_DELIVERY_URL: receiver.url,
    ...(await flexEnvironment(options.routing, sandbox, admin)),
    ...options.env,
  };
  const config = {
    ...loadConfig(env),
    retry: { toFlex: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 50 }, toChannel: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 50 } },
    outboxPollIntervalMs: 20,
  };

  const logLines: string[] = [];
  const logger = createLogger(
    config.logLevel,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logLines.push(chunk.toString('utf8'));
        callback();
      },
    }),
  );
  const twilioRequests: Array<{ method: string; uri: string }> = [];
  const lostAnswers: LostAnswers = { matches: () => false, remaining: 0 };
  let middleware: RunningMiddleware;
  const start = async () => {
    const twilioClient = interceptingRequests(createTwilioClient({ ...config.twilio }), twilioRequests, lostAnswers);
    middleware = await startMiddleware(config, { twilioClient, logger });
  };
  await start();

  return {
    sandbox,
    receiver,
    admin,
    control,
    env,
    config,
    logLines,
    twilioRequests,
    get middleware() {
      return middleware;
    },
    /** POSTs to /inbound/:channelType, signed with the channel secret unless `signature` says otherwise. */
    async send(body: unknown, init: { channelType?: string; signature?: string | null; rawBody?: string; contentType?: string } = {}) {
      const raw = init.rawBody ?? JSON.stringify(body);
      const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
      const signature = init.signature === undefined ? signBody(CHANNEL_SECRET, raw) : init.signature;
      if (signature !== null) headers['x-hub-signature-256'] = signature;
      return postWithoutKeepAlive(`${middleware.url}/inbound/${init.channelType ?? 'chatapp'}`, headers, raw);
    },
    /** The next `count` matching requests reach Twilio, but the middleware sees a timeout instead of the answer. */
    loseAnswers(count: number, matches: (request: { method: string; uri: string }) => boolean) {
      Object.assign(lostAnswers, { matches, remaining: count });
    },
    async restart() {
      await middleware.stop();
      await start();
    },
    async stop() {
      await middleware.stop();
      await receiver.close();
      await sandbox.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** The environment of one route to Flex, with the Studio flow or Flex Flow it needs created in the stand-in. */
export async function flexEnvironment(routing: FlexRouting, sandbox: Sandbox, admin: TwilioClient): Promise<Record<string, string>> {
  const { workspaceSid, workflowSid, chatServiceSid, chatTaskChannelSid } = sandbox.seeded;
  if (routing === 'interactions') return { TWILIO_WORKSPACE_SID: workspaceSid, TWILIO_WORKFLOW_SID: workflowSid };
  if (routing === 'studio') {
    const flow = await admin.studio.v2.flows.create({ friendlyName: 'Send to Flex', status: 'published', definition: sendToFlexFlow(workflowSid) });
    return { STUDIO_FLOW_SID: flow.sid };
  }
  const flexFlow = await admin.flexApi.v1.flexFlow.create({
    friendlyName: 'Chat App custom channel',
    chatServiceSid,
    channelType: 'custom',
    integrationType: 'task',
    'integration.workspaceSid': workspaceSid,
    'integration.workflowSid': workflowSid,
    'integration.channel': chatTaskChannelSid,
  });
  return { FLEX_MODE: 'flex-flow', FLEX_FLOW_SID: flexFlow.sid, FLEX_CHAT_SERVICE_SID: chatServiceSid };
}

/** A Studio flow whose Send to Flex widget copies the task attributes the middleware put on the conversation. */
function sendToFlexFlow(workflowSid: string): object {
  const attribute = (name: string) => `"${name}":"{{trigger.conversation.ChannelAttributes.${name}}}"`;
  return {
    description: 'Send to Flex',
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
    states: [
      { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingConversationMessage', next: 'SendToFlex' }], properties: {} },
      {
        name: 'SendToFlex',
        type: 'send-to-flex',
        transitions: [],
        properties: {
          workflow: workflowSid,
          channel: 'chat',
          attributes: `{${['channelType', 'customChannelType', 'name', 'from'].map(attribute).join(',')}}`,
        },
      },
    ],
  };
}

interface LostAnswers {
  matches: (request: { method: string; uri: string }) => boolean;
  remaining: number;
}

/** Records every request the twilio library sends (to prove when nothing reached Twilio), and can lose answers. */
function interceptingRequests(client: TwilioClient, requests: Array<{ method: string; uri: string }>, lost: LostAnswers): TwilioClient {
  const send = client.request.bind(client);
  client.request = async (opts) => {
    const request = { method: String(opts.method).toUpperCase(), uri: String(opts.uri) };
    requests.push(request);
    const response = await send(opts);
    if (lost.remaining > 0 && lost.matches(request)) {
      lost.remaining -= 1;
      throw Object.assign(new Error('timeout of 15000ms exceeded'), { code: 'ECONNABORTED' });
    }
    return response;
  };
  return client;
}

/**
 * A fresh connection per request: after a restart, a pooled keep-alive socket to the
 * stopped server would fail the next POST, which fetch does not retry.
 */
function postWithoutKeepAlive(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any> });
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}
