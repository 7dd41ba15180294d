import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { commandLineProblem } from '../config/cli.js';
import { PACKAGE_DIR } from '../config/load-config.js';
import { UsageError } from './errors.js';

export type ConversationsRoute = 'studio' | 'interactions';

/** A resource given by SID, or looked up by its friendly name. */
export type Locator = { sid: string } | { name: string; explicit: boolean };

export interface SetupOptions {
  /** How conversations reach Flex. */
  route: ConversationsRoute;
  workspace: Locator;
  workflow: Locator;
  flowName?: string;
  /** `--bot`: the Studio flow is the greeting-and-menu bot template, not Send to Flex alone. */
  bot: boolean;
  envFile: string;
  channelsFile: string;
  dryRun: boolean;
}

export interface Credentials {
  accountSid: string;
  authToken?: string;
  apiKeySid?: string;
  apiKeySecret?: string;
  apiBaseUrl?: string;
}

export const DEFAULT_WORKSPACE_NAME = 'Flex Task Assignment';
export const DEFAULT_WORKFLOW_NAME = 'Assign to Anyone';

export const USAGE = `Usage: npm run setup -- conversations [options]

Prepares a Twilio Flex account for the middleware and writes the SIDs into middleware/.env.
Credentials come from the environment: TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN,
or TWILIO_API_KEY_SID with TWILIO_API_KEY_SECRET.

Mode:
  conversations          Flex Conversations (Flex UI 2.x): find the workspace, workflow and
                         "chat" task channel; with --route studio, create or update the
                         Studio flow whose Send to Flex widget creates the task. A Flex Flow
                         of the original custom-chat pattern is reported, never changed.

Options:
  --route <studio|interactions>   route through a Studio flow or the
                                  Interactions API (default: interactions)
  --workspace <WS...>             the TaskRouter workspace (default: the one named
                                  "${DEFAULT_WORKSPACE_NAME}", or --workspace-name)
  --workspace-name <name>
  --workflow <WW...>              the workflow (default: the one named "${DEFAULT_WORKFLOW_NAME}",
  --workflow-name <name>          or --workflow-name)
  --flow-name <name>              the Studio flow's friendly name
  --bot                           with --route studio: a greeting-and-menu bot before Send to
                                  Flex (created once; your later edits in Studio are kept)
  --env-path <path>               the file to write the SIDs to (default: middleware/.env)
  --channels-file <path>          default: CHANNELS_FILE, else the repository's channels.json
  --dry-run                       print the plan; change nothing in Twilio or the .env file
  -h, --help
`;

function commandLineError(error: Error & { code?: string }): UsageError {
  return new UsageError(commandLineProblem(error), true);
}

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);

/**
 * The directory the user ran the command from, which relative paths on the command line mean:
 * npm runs a workspace's script in the workspace's folder and passes the user's own as INIT_CWD.
 */
export function invocationDir(env: Record<string, string | undefined>, processCwd = process.cwd()): string {
  return env.INIT_CWD?.trim() ? resolve(env.INIT_CWD) : processCwd;
}

/** Reads the command line; throws UsageError with one line saying what is wrong. */
export function parseSetupArgs(argv: string[], env: Record<string, string | undefined>, cwd = process.cwd()): SetupOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        route: { type: 'string' },
        workspace: { type: 'string' },
        'workspace-name': { type: 'string' },
        workflow: { type: 'string' },
        'workflow-name': { type: 'string' },
        'flow-name': { type: 'string' },
        bot: { type: 'boolean' },
        'env-path': { type: 'string' },
        'channels-file': { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw commandLineError(error as Error & { code?: string });
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? 'Say which mode to set up: conversations (see --help)' : `Expected one mode, got: ${positionals.join(' ')}`,
    );
  }
  const mode = positionals[0];
  if (mode === 'flex-flow')
    throw new UsageError('The flex-flow mode was removed: Programmable Chat reached end of life for Flex on 2026-06-01; use conversations');
  if (mode !== 'conversations') throw new UsageError(`Unknown mode "${mode}": use conversations`);

  const route = values.route ?? 'interactions';
  if (route !== 'studio' && route !== 'interactions') throw new UsageError(`--route must be studio or interactions, got "${route}"`);
  if (route === 'interactions' && values['flow-name'] !== undefined)
    throw new UsageError('--flow-name needs --route studio (the interactions route has no Studio flow)');
  if (route === 'interactions' && values.bot) throw new UsageError('--bot needs --route studio (the bot is a Studio flow)');

  const locator = (sidFlag: 'workspace' | 'workflow', nameFlag: string | undefined, prefix: string, fallback: string, label: string): Locator => {
    const sid = values[sidFlag];
    if (sid !== undefined && nameFlag !== undefined) throw new UsageError(`Give --${sidFlag} or --${sidFlag}-name, not both`);
    if (sid !== undefined) {
      if (!SID(prefix).test(sid)) throw new UsageError(`--${sidFlag} must be a ${label} SID: "${prefix}" followed by 32 hex characters`);
      return { sid };
    }
    if (nameFlag !== undefined && !nameFlag.trim()) throw new UsageError(`--${sidFlag}-name must not be empty`);
    return nameFlag !== undefined ? { name: nameFlag, explicit: true } : { name: fallback, explicit: false };
  };

  for (const flag of ['flow-name', 'env-path', 'channels-file'] as const) {
    if (values[flag] !== undefined && !values[flag]!.trim()) throw new UsageError(`--${flag} must not be empty`);
  }

  return {
    route,
    workspace: locator('workspace', values['workspace-name'], 'WS', DEFAULT_WORKSPACE_NAME, 'TaskRouter workspace'),
    workflow: locator('workflow', values['workflow-name'], 'WW', DEFAULT_WORKFLOW_NAME, 'TaskRouter workflow'),
    flowName: values['flow-name'],
    bot: values.bot ?? false,
    envFile: values['env-path'] ? resolve(cwd, values['env-path']) : resolve(PACKAGE_DIR, '.env'),
    channelsFile: values['channels-file'] ? resolve(cwd, values['channels-file']) : resolve(PACKAGE_DIR, env.CHANNELS_FILE ?? '../channels.json'),
    dryRun: values['dry-run'] ?? false,
  };
}

/** Reads the credentials from the environment; the messages name variables, never values. */
export function readCredentials(env: Record<string, string | undefined>): Credentials {
  const get = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const accountSid = get('TWILIO_ACCOUNT_SID');
  const authToken = get('TWILIO_AUTH_TOKEN');
  const apiKeySid = get('TWILIO_API_KEY_SID');
  const apiKeySecret = get('TWILIO_API_KEY_SECRET');
  const apiBaseUrl = get('TWILIO_API_BASE_URL');
  const hint = 'export it in your shell (the setup command reads credentials from the environment only)';
  if (!accountSid) throw new UsageError(`TWILIO_ACCOUNT_SID is not set: ${hint}`);
  if (!SID('AC').test(accountSid))
    throw new UsageError('TWILIO_ACCOUNT_SID must be "AC" followed by 32 hex characters (the Account SID from the Twilio Console)');
  if (Boolean(apiKeySid) !== Boolean(apiKeySecret)) throw new UsageError('TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET go together: set both or neither');
  if (apiKeySid && !SID('SK').test(apiKeySid)) throw new UsageError('TWILIO_API_KEY_SID must be "SK" followed by 32 hex characters');
  if (!authToken && !apiKeySid) throw new UsageError(`TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID with TWILIO_API_KEY_SECRET) is not set: ${hint}`);
  if (apiBaseUrl && !/^https?:\/\/[^\s/]+\/?$/.test(apiBaseUrl))
    throw new UsageError('TWILIO_API_BASE_URL must be an origin such as http://127.0.0.1:4010 (leave it unset in production)');
  return { accountSid, authToken, apiKeySid, apiKeySecret, apiBaseUrl };
}

/** For output: enough of the account SID to recognise the account, not the whole identifier. */
export function maskSid(sid: string): string {
  return `${sid.slice(0, 2)}…${sid.slice(-4)}`;
}
