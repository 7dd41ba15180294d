import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  type DeliveryRecord,
  type FaultSettings,
  type FaultStats,
  type Sandbox,
} from '@custom-channels/twilio-sandbox';
import { freePort } from './free-port.js';
import { untilServing } from './poll.js';
import { stopChild } from './stop-child.js';

/** What a caller needs to point the middleware and the `twilio` library at a stand-in, wherever it runs. */
export type StandInAddress = Pick<Sandbox, 'url' | 'accountSid' | 'authToken' | 'seeded'>;

/** The stand-in in a process of its own, read through its control API. */
export interface SandboxProcess extends StandInAddress {
  pid: number;
  faultStats(): Promise<FaultStats>;
  webhookDeliveries(): Promise<DeliveryRecord[]>;
  /** Resolves once no webhook or flow execution is running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts the stand-in as `npm run sandbox` runs it, on a free port. Load generators use it
 * so that "Twilio" answers from its own event loop, as it would from its own machine,
 * rather than waiting behind the load it is measured under.
 */
export async function startSandboxProcess(options: { seed?: number; faults?: FaultSettings } = {}): Promise<SandboxProcess> {
  const port = await freePort();
  const args = ['--import', 'tsx', fileURLToPath(import.meta.resolve('@custom-channels/twilio-sandbox/main')), '--port', String(port)];
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  if (options.faults) args.push('--faults', JSON.stringify(options.faults));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`the Twilio stand-in exited unexpectedly: ${signal ?? `code ${code}`}\n`);
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await untilServing(child, `${url}/sandbox`, { what: 'the Twilio stand-in', timeoutMs: 30_000 });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const controlGet = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}/sandbox${path}`);
    if (!response.ok) throw new Error(`the stand-in answered ${response.status} to GET /sandbox${path}`);
    return (await response.json()) as T;
  };
  const { seeded } = await controlGet<{ seeded: Sandbox['seeded'] }>('');
  return {
    pid: child.pid!,
    url,
    accountSid: DEFAULT_ACCOUNT_SID,
    authToken: DEFAULT_AUTH_TOKEN,
    seeded,
    faultStats: () => controlGet<FaultStats>('/faults/stats'),
    webhookDeliveries: async () => (await controlGet<{ deliveries: DeliveryRecord[] }>('/webhooks')).deliveries,
    idle: async () => {
      await controlGet('/idle');
    },
    async close() {
      stopping = true;
      await stopChild(child, 'SIGTERM', STOP_TIMEOUT_MS);
    },
  };
}
