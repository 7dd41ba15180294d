/**
 * What every attack scenario runs against: the Twilio stand-in in its own process, a channel
 * endpoint, and the middleware as a child process run exactly as `npm start` runs it (the
 * compiled build with its node options), so its RSS, read from /proc, is what production's
 * would be. Every rig started is stopped on exit, also on Ctrl-C.
 */
import { channelEnvPrefix } from '@custom-channels/contract';
import { createTwilioClient, type TwilioClient } from '@custom-channels/middleware';
import { writeChannelsFile } from '../src/channels-file.js';
import { freePort } from '../src/free-port.js';
import { middlewareEnvironment } from '../src/middleware-env.js';
import { startMiddlewareProcess, type MiddlewareProcess } from '../src/middleware-process.js';
import { rssMb } from '../src/process-memory.js';
import { productionCommand } from '../src/production-command.js';
import { startReceiver } from '../src/receiver.js';
import { SandboxControl } from '../src/sandbox-control.js';
import { startSandboxProcess, type SandboxProcess } from '../src/sandbox-process.js';

export const CHANNEL = 'chatapp';
export const WEBCHAT = 'webchat';
const CHANNEL_SECRET = 'attack-channel-secret-0123456789abcdef';
const ADMIN_TOKEN = 'attack-admin-token-0123456789abcdef0123456789';
const MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024;

export interface AttackRig {
  /** The middleware's address (http://127.0.0.1:port); also the origin its demo page is served from. */
  url: string;
  middleware: MiddlewareProcess;
  sandbox: SandboxProcess;
  admin: TwilioClient;
  control: SandboxControl;
  channelSecret: string;
  adminToken: string;
  /** Everything the middleware wrote to stdout (its log lines), when asked for. */
  stdout: string[];
  /** The middleware's resident memory now, in MB. */
  rssMb(): number;
  close(): Promise<void>;
}

const running = new Set<AttackRig>();

/**
 * `chatapp` (signed webhook, attachments from any loopback host allowed, as the fault report
 * allows them) and `webchat` (attachments on), an ADMIN_TOKEN, LOG_LEVEL `warn` unless asked.
 */
export async function startAttackRig(options: { logLevel?: 'warn' | 'debug'; keepStdout?: boolean; env?: Record<string, string> } = {}): Promise<AttackRig> {
  const sandbox = await startSandboxProcess();
  const receiver = await startReceiver(CHANNEL_SECRET);
  const stdout: string[] = [];
  const prefix = channelEnvPrefix(CHANNEL);
  let middleware: MiddlewareProcess;
  try {
    const env = await middlewareEnvironment({ sandbox, port: await freePort(), channelSecret: CHANNEL_SECRET, deliveryUrl: receiver.url });
    const { env: startEnv, nodeOptions, entry } = productionCommand();
    middleware = await startMiddlewareProcess(
      {
        ...startEnv,
        ...env,
        LOG_LEVEL: options.logLevel ?? 'warn',
        ADMIN_TOKEN,
        CHANNELS_FILE: writeChannelsFile(
          {},
          { chatapp: { accept: ['image/*'], maxBytes: MAX_ATTACHMENT_BYTES }, webchat: { accept: ['image/*'], maxBytes: MAX_ATTACHMENT_BYTES } },
        ),
        [`${prefix}_MEDIA_ALLOW_HTTP`]: 'true',
        [`${prefix}_MEDIA_ALLOW_HOSTS`]: '127.0.0.1',
        ...options.env,
      },
      [...nodeOptions, entry],
      options.keepStdout ? lineCollector(stdout) : undefined,
    );
  } catch (error) {
    await receiver.close();
    await sandbox.close();
    throw error;
  }
  const rig: AttackRig = {
    url: middleware.url,
    middleware,
    sandbox,
    admin: createTwilioClient({ accountSid: sandbox.accountSid, authToken: sandbox.authToken, apiBaseUrl: sandbox.url }),
    control: new SandboxControl(sandbox.url),
    channelSecret: CHANNEL_SECRET,
    adminToken: ADMIN_TOKEN,
    stdout,
    rssMb: () => rssMb(middleware.pid!),
    async close() {
      running.delete(rig);
      await middleware.stop();
      await receiver.close();
      await sandbox.close();
    },
  };
  running.add(rig);
  return rig;
}

/** Collects whole stdout lines (a chunk may end mid-line). */
function lineCollector(lines: string[]): (chunk: Buffer, stream: 'stdout' | 'stderr') => void {
  let partial = '';
  return (chunk, stream) => {
    if (stream !== 'stdout') return;
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  };
}

/** Stops every rig still running (Ctrl-C, a scenario that threw). */
export async function closeAllRigs(): Promise<void> {
  await Promise.allSettled([...running].map((rig) => rig.close()));
}

/** Last resort when this process exits: no child is left behind. */
export function killAllRigs(): void {
  for (const rig of running) {
    for (const pid of [rig.middleware.pid, rig.sandbox.pid]) {
      try {
        if (pid !== undefined) process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
