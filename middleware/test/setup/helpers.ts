import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '@custom-channels/twilio-sandbox';
import { runSetup } from '../../src/setup/run.js';
import { createTwilioClient, type TwilioClient } from '../../src/twilio/client.js';

export interface SetupRun {
  code: number;
  out: string;
  err: string;
}

/** A fresh stand-in (a fresh Flex account), a scratch folder for the .env file, and the command. */
export interface SetupFixture {
  sandbox: Sandbox;
  admin: TwilioClient;
  dir: string;
  envPath: string;
  env: Record<string, string>;
  run(...argv: string[]): Promise<SetupRun>;
  runWith(env: Record<string, string | undefined>, ...argv: string[]): Promise<SetupRun>;
  readEnvText(): Promise<string | undefined>;
  writeEnvText(text: string): Promise<void>;
  envMtime(): Promise<number | undefined>;
  tasks(): Promise<Array<{ sid: string; attributes: Record<string, unknown>; taskChannelUniqueName: string }>>;
  stop(): Promise<void>;
}

/** Generated secrets as the fixture's setup writes them: fixed, so a test can compare the whole .env file. */
export const FIXED_SECRETS: Record<string, string> = { LOG_HASH_KEY: 'fixed-log-hash-key-for-setup-tests-0123' };

export async function startFixture(options: SandboxOptions = {}): Promise<SetupFixture> {
  const sandbox = await startSandbox({ port: 0, seed: 1, ...options });
  const dir = await mkdtemp(join(tmpdir(), 'setup-test-'));
  const envPath = join(dir, '.env');
  const env = {
    TWILIO_ACCOUNT_SID: sandbox.accountSid,
    TWILIO_AUTH_TOKEN: sandbox.authToken,
    TWILIO_API_BASE_URL: sandbox.url,
  };
  const admin = createTwilioClient({
    accountSid: sandbox.accountSid,
    authToken: sandbox.authToken,
    apiBaseUrl: sandbox.url,
  });
  const runWith = async (runEnv: Record<string, string | undefined>, ...argv: string[]): Promise<SetupRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runSetup({
      argv: [...argv, '--env-path', envPath],
      env: runEnv,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      cwd: dir,
      generateSecret: (key) => FIXED_SECRETS[key]!,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return {
    sandbox,
    admin,
    dir,
    envPath,
    env,
    run: (...argv) => runWith(env, ...argv),
    runWith,
    readEnvText: async () => {
      try {
        return await readFile(envPath, 'utf8');
      } catch {
        return undefined;
      }
    },
    writeEnvText: (text) => writeFile(envPath, text),
    envMtime: async () => {
      try {
        return (await stat(envPath)).mtimeMs;
      } catch {
        return undefined;
      }
    },
    tasks: async () => {
      await sandbox.idle();
      const response = await fetch(`${sandbox.url}/sandbox/tasks`);
      const body = (await response.json()) as {
        tasks: Array<{ sid: string; attributes: Record<string, unknown>; taskChannelUniqueName: string }>;
      };
      return body.tasks;
    },
    stop: async () => {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The env file as KEY=value pairs (active lines only). */
export function envValues(text: string | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of (text ?? '').split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) values[match[1]!] = match[2]!.replace(/\s+#.*$/, '');
  }
  return values;
}

/** What the middleware needs besides the setup's SIDs, to check its config accepts the result. */
export function middlewareEnv(fixture: SetupFixture, fileValues: Record<string, string>): Record<string, string> {
  return {
    ...fixture.env,
    PUBLIC_BASE_URL: 'https://middleware.example.com',
    CHANNEL_CHATAPP_SECRET: 'a-secret-of-at-least-16-chars',
    CHANNEL_CHATAPP_DELIVERY_URL: 'https://chatapp.example.com/deliver',
    // The repository's channels.json also lists the demo's messenger channels.
    CHANNEL_TELEGRAM_BOT_TOKEN: '7000000001:setup-test-bot-token',
    CHANNEL_TELEGRAM_SECRET: 'setup-test-telegram-secret',
    CHANNEL_LINE_OA_SECRET: 'setup0test0line0channel0secret00',
    CHANNEL_LINE_OA_ACCESS_TOKEN: 'setup-test-line-access-token',
    CHANNEL_INSTAGRAM_SECRET: 'setup0test0instagram0app0secret0',
    CHANNEL_INSTAGRAM_ACCESS_TOKEN: 'setup-test-instagram-access-token',
    CHANNEL_VIBER_AUTH_TOKEN: 'setup-test-viber-auth-token',
    ...fileValues,
  };
}

export async function studioFlowsNamed(admin: TwilioClient, name: string) {
  return (await admin.studio.v2.flows.list()).filter((flow) => flow.friendlyName === name);
}
