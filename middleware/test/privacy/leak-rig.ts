import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_DIR } from '../../src/config/load-config.js';
import { startMiddlewareProcess, type MiddlewareProcess } from '@custom-channels/test-kit/middleware-process';
import { startSandbox, type Sandbox } from '@custom-channels/twilio-sandbox';
import { signatureHeaders, type SendOptions } from '@custom-channels/test-kit/harness';
import { createTwilioClient, type TwilioClient } from '../../src/twilio/client.js';
import { freePort } from '@custom-channels/test-kit/free-port';
import { middlewareEnvironment, type FlexRouting } from '@custom-channels/test-kit/middleware-env';
import { eventually } from '@custom-channels/test-kit/poll';
import { startReceiver, type Receiver } from '@custom-channels/test-kit/receiver';
import { startRedisServer, type RedisServer } from '@custom-channels/test-kit/redis-server';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';
import { startSwitchableProxy, type SwitchableProxy } from '@custom-channels/test-kit/switchable-proxy';
import { startInstagramStandIn, type InstagramStandIn } from '@custom-channels/test-kit/messengers/instagram-standin';
import { startViberStandIn, type ViberStandIn } from '@custom-channels/test-kit/messengers/viber-standin';
import { randomHex, type CapturedOutput, type SensitiveValues } from './sensitive-output.js';

/** Short, so a "slow answer" fault costs little; the injected latency is well past it. */
export const TWILIO_TIMEOUT_MS = 1500;

export interface LeakRunOptions {
  name: string;
  routing: FlexRouting;
  store: 'sqlite' | 'redis';
  credentials: 'api-key' | 'auth-token';
}

/**
 * One middleware process (LOG_LEVEL=debug) behind which every Twilio call goes through a
 * proxy that can refuse connections, to the stand-in (which injects the other faults); the
 * channel's delivery URL is a receiver behind another such proxy. Every secret is random and
 * registered in `values`; everything the process writes goes to `output`.
 */
export async function startLeakRig(options: LeakRunOptions, values: SensitiveValues, output: CapturedOutput) {
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  const authToken = values.add('auth token', `tok${randomHex(16)}`);
  const apiKeySid = `SK${randomHex(16)}`;
  const apiKeySecret = values.add('API key secret', randomHex(16));
  const channelSecret = values.add('channel secret', `chan-${randomHex(16)}`);
  const adminToken = values.add('admin token', randomHex(20));
  const logHashKey = values.add('log hash key', randomHex(20));
  const sandbox: Sandbox = await startSandbox({ authToken, apiKeys: { [apiKeySid]: apiKeySecret } });
  values.add('base64 of AccountSid:AuthToken', Buffer.from(`${sandbox.accountSid}:${authToken}`).toString('base64'));
  values.add('base64 of ApiKeySid:ApiKeySecret', Buffer.from(`${apiKeySid}:${apiKeySecret}`).toString('base64'));
  const admin: TwilioClient = createTwilioClient({
    accountSid: sandbox.accountSid,
    authToken,
    apiBaseUrl: sandbox.url,
  });
  const twilioProxy: SwitchableProxy = await startSwitchableProxy(sandbox.url);
  const receiver: Receiver = await startReceiver(channelSecret);
  const channelProxy: SwitchableProxy = await startSwitchableProxy(new URL(receiver.url).origin);
  const viberToken = values.add('Viber auth token', `viber-${randomHex(16)}`);
  const viber: ViberStandIn = await startViberStandIn({ authToken: viberToken });
  const instagramCredentials = {
    appSecret: values.add('Instagram app secret', `ig-${randomHex(16)}`),
    accessToken: values.add('Instagram access token', `EAA${randomHex(16)}`),
  };
  const instagram: InstagramStandIn = await startInstagramStandIn(instagramCredentials);
  const redis: RedisServer | undefined = options.store === 'redis' ? await startRedisServer() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'cc-leaks-'));
  const port = await freePort();
  const base = await middlewareEnvironment({
    sandbox,
    port,
    channelSecret,
    deliveryUrl: `${channelProxy.url}/deliveries`,
    routing: options.routing,
    databaseUrl: redis?.url,
    twilioUrl: twilioProxy.url,
  });
  const env: Record<string, string> = {
    ...base,
    ...(options.credentials === 'api-key' ? { TWILIO_API_KEY_SID: apiKeySid, TWILIO_API_KEY_SECRET: apiKeySecret } : {}),
    ...addViberChannel(base.CHANNELS_FILE!, viber, viberToken),
    ...addInstagramChannel(base.CHANNELS_FILE!, instagram, instagramCredentials),
    TWILIO_TIMEOUT_MS: String(TWILIO_TIMEOUT_MS),
    LOG_LEVEL: 'debug',
    ADMIN_TOKEN: adminToken,
    LOG_HASH_KEY: logHashKey,
  };
  const closeAround = async () => {
    await twilioProxy.close();
    await channelProxy.close();
    await receiver.close();
    await sandbox.close();
    await viber.close();
    await instagram.close();
    await redis?.stop();
  };
  let middleware: MiddlewareProcess;
  try {
    middleware = await startMiddlewareProcess(env, undefined, output.sink(`${options.name}: middleware`));
  } catch (error) {
    await closeAround();
    throw error;
  }

  const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const text = await (await fetch(`${middleware.url}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } })).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  };

  return {
    options,
    sandbox,
    admin,
    control: new SandboxControl(sandbox.url),
    twilioProxy,
    receiver,
    channelProxy,
    viber,
    instagram,
    redis,
    middleware,
    env,
    authToken,
    adminToken,
    channelSecret,
    dir,
    metric,
    /** POSTs to /inbound/chatapp, signed with the channel secret unless told otherwise. */
    async send(body: string, init: Pick<SendOptions, 'signature' | 'headers' | 'contentType'> = {}): Promise<number> {
      const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json', ...signatureHeaders(body, init, channelSecret) };
      const response = await fetch(`${middleware.url}/inbound/chatapp`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(20_000),
      });
      await response.arrayBuffer();
      return response.status;
    },
    /** Waits until the queue has nothing pending (and, unless told, nothing failed). */
    drained(queue: 'to-flex' | 'to-channel', failed = 0) {
      return eventually(
        async () =>
          (await metric('cc_outbox_entries', { queue, state: 'pending' })) === 0 && (await metric('cc_outbox_entries', { queue, state: 'failed' })) === failed,
        `the ${queue} outbox to drain`,
        45_000,
      );
    },
    /** Runs an npm script of the middleware package as a child process; its output is captured. */
    npm(script: string, args: string[], scriptEnv: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        execFile(
          'npm',
          ['run', script, '--', ...args],
          {
            cwd: PACKAGE_DIR,
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...scriptEnv },
            timeout: 60_000,
          },
          (error, stdout, stderr) => {
            output.add(`${options.name}: npm run ${script} ${args.join(' ')} stdout`, stdout);
            output.add(`${options.name}: npm run ${script} ${args.join(' ')} stderr`, stderr);
            resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
          },
        );
      });
    },
    async stop(): Promise<number | null> {
      const code = await middleware.stop();
      await closeAround();
      return code;
    },
  };
}

export type LeakRig = Awaited<ReturnType<typeof startLeakRig>>;

/** A Viber channel (`viber-bot`, taking JPEGs) next to the others, on the Viber stand-in: its lines in channels.json and its environment. */
function addViberChannel(channelsFile: string, viber: ViberStandIn, authToken: string): Record<string, string> {
  const file = JSON.parse(readFileSync(channelsFile, 'utf8')) as { channels: unknown[] };
  const icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';
  file.channels.push({ channelType: 'viber-bot', displayName: 'Viber', color: '#7360F2', icon, adapter: 'viber', media: { accept: ['image/jpeg'] } });
  writeFileSync(channelsFile, JSON.stringify(file));
  return {
    CHANNEL_VIBER_BOT_AUTH_TOKEN: authToken,
    CHANNEL_VIBER_BOT_API_BASE_URL: viber.apiBaseUrl,
    CHANNEL_VIBER_BOT_MEDIA_ALLOW_HTTP: 'true',
    CHANNEL_VIBER_BOT_MEDIA_ALLOW_HOSTS: '127.0.0.1',
  };
}

/** An Instagram channel (`instagram`, taking JPEGs) next to the others, on the Instagram stand-in: its lines in channels.json and its environment. */
function addInstagramChannel(
  channelsFile: string,
  instagram: InstagramStandIn,
  credentials: { appSecret: string; accessToken: string },
): Record<string, string> {
  const file = JSON.parse(readFileSync(channelsFile, 'utf8')) as { channels: unknown[] };
  const icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';
  file.channels.push({ channelType: 'instagram', displayName: 'Instagram', color: '#C13584', icon, adapter: 'instagram', media: { accept: ['image/jpeg'] } });
  writeFileSync(channelsFile, JSON.stringify(file));
  return {
    CHANNEL_INSTAGRAM_SECRET: credentials.appSecret,
    CHANNEL_INSTAGRAM_ACCESS_TOKEN: credentials.accessToken,
    CHANNEL_INSTAGRAM_API_BASE_URL: instagram.url,
    CHANNEL_INSTAGRAM_MEDIA_ALLOW_HTTP: 'true',
    CHANNEL_INSTAGRAM_MEDIA_ALLOW_HOSTS: '127.0.0.1',
  };
}
