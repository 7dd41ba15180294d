import type { ChannelAdapter, ChannelDefinition } from '@custom-channels/contract';
import { loadChannelsFile } from '@custom-channels/contract/node';
import { safeErrorMessage } from '@custom-channels/logging';
import { PACKAGE_DIR } from '../config/load-config.js';
import { createTwilioClient } from '../twilio/client.js';
import { AccountReader } from './account.js';
import { applyPlan, envEditFor, existingSids } from './applier.js';
import { invocationDir, parseSetupArgs, readCredentials, USAGE } from './args.js';
import { mergeEnv, readEnv, readEnvFile, writeEnvFile } from './env-file.js';
import { withGeneratedSecrets } from './generated-secrets.js';
import { oneLine, SetupError, UsageError } from './errors.js';
import { setUpMessengerWebhooks } from './messenger-webhooks.js';
import { changesTwilio, planSetup } from './planner.js';
import { displayPath, formatEnvChanges, formatHeader, formatLegacyFlexFlows, formatNextSteps, formatOutcome, formatPlan, formatWarnings } from './report.js';

export interface RunSetupInput {
  argv: string[];
  env: Record<string, string | undefined>;
  /** Receives each line of normal output. */
  out?: (line: string) => void;
  /** Receives the one-line error, when there is one (then the usage, when the command line could not be read). */
  err?: (line: string) => void;
  /** Where relative paths on the command line start: by default the directory the user ran npm from. */
  cwd?: string;
  /** Makes the value of a generated secret (LOG_HASH_KEY); random unless a test fixes it. */
  generateSecret?: (key: string) => string;
}

/**
 * `npm run setup`: reads the account, plans, applies (unless --dry-run), merges the .env file
 * and says what remains. Returns the exit code: 0, 1 (Twilio or the account refused), 2 (usage).
 */
export async function runSetup({
  argv,
  env,
  out = (line) => process.stdout.write(`${line}\n`),
  err = (line) => process.stderr.write(`${line}\n`),
  cwd = invocationDir(env),
  generateSecret,
}: RunSetupInput): Promise<number> {
  try {
    const options = parseSetupArgs(argv, env, cwd);
    if (options === 'help') {
      out(USAGE.trimEnd());
      return 0;
    }
    const credentials = readCredentials(env);
    const channels = readChannels(options.channelsFile);
    const client = createTwilioClient({ ...credentials, timeoutMs: 30_000 });

    const plan = await planSetup(options, new AccountReader(client));
    for (const line of [...formatHeader(plan, credentials.accountSid), ...formatPlan(plan)]) out(line);

    const provisioned = options.dryRun || !changesTwilio(plan) ? existingSids(plan) : await applyPlan(client, plan);

    const before = (await readEnvFile(options.envFile)) ?? '';
    const merged = mergeEnv(before, withGeneratedSecrets(envEditFor(plan, provisioned), { ...env, ...readEnv(before) }, generateSecret));
    const envChanged = merged.changes.length > 0;
    if (envChanged && !options.dryRun) await writeEnvFile(options.envFile, merged.text);

    const envFileShown = displayPath(cwd, options.envFile);
    const effectiveEnv = { ...env, ...readEnv(merged.text) };
    const messengers = await setUpMessengerWebhooks({ channels, effectiveEnv, dryRun: options.dryRun });
    const lines = [
      '',
      ...formatEnvChanges(merged.changes, options.envFile, options.dryRun, cwd),
      ...messengers.lines,
      ...formatWarnings(plan.warnings),
      ...formatLegacyFlexFlows(plan),
      ...formatOutcome(plan, envChanged),
      ...formatNextSteps({
        plan,
        effectiveEnv,
        channels,
        envFileShown,
        envFileForMiddleware: displayPath(PACKAGE_DIR, options.envFile),
        channelSteps: messengers.steps,
        finalSteps: messengers.firstMessages,
      }),
    ];
    for (const line of lines) out(line);
    return 0;
  } catch (error) {
    if (error instanceof SetupError) {
      err(`setup: ${oneLine(error.message)}`);
      if (error instanceof UsageError && error.showUsage) err(`\n${USAGE.trimEnd()}`);
      return error.exitCode;
    }
    err(`setup failed unexpectedly: ${safeErrorMessage(error)}`);
    return 1;
  }
}

function readChannels(file: string): Array<ChannelDefinition & { adapter: ChannelAdapter }> {
  try {
    return loadChannelsFile(file).channels.map((channel) => ({ ...channel, adapter: channel.adapter ?? 'webhook' }));
  } catch (error) {
    throw new UsageError(`cannot use the channels file: ${oneLine((error as Error).message)}`);
  }
}
