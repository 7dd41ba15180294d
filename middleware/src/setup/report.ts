import { isAbsolute, relative } from 'node:path';
import { channelEnvPrefix } from '@custom-channels/contract';
import { maskSid } from './args.js';
import type { EnvChange } from './env-file.js';
import { isGeneratedSecret } from './generated-secrets.js';
import type { Plan, Step } from './planner.js';

/** Everything the setup command prints, as plain lines (no colours: it is often piped to a log). */

const RESOURCE_LABEL: Record<Step['resource'], string> = { 'content-template': 'Content template', 'studio-flow': 'Studio flow' };

export function formatHeader(plan: Plan, accountSid: string): string[] {
  return [
    `Custom channels setup: conversations mode, route ${plan.options.route}, account ${maskSid(accountSid)}${plan.options.dryRun ? ' (dry run)' : ''}`,
    '',
  ];
}

export function formatPlan(plan: Plan): string[] {
  const lines = ['Found in Twilio (used as they are):'];
  for (const found of plan.found) {
    lines.push(`  ${found.label.padEnd(40)} ${`"${found.name}"`.padEnd(32)} ${found.sid}${found.via ? `  (by ${found.via})` : ''}`);
  }
  if (plan.steps.length > 0) {
    lines.push('', plan.options.dryRun ? 'Would change in Twilio:' : 'Managed by this command:');
    for (const step of plan.steps) lines.push(`  ${formatStep(step)}`);
  }
  return lines;
}

export function formatStep(step: Step): string {
  const what = `${RESOURCE_LABEL[step.resource]} "${step.name}"`;
  if (step.action === 'create') return `create     ${what}`;
  if (step.action === 'update') return `update     ${what} ${step.sid}: ${step.changes.join(', ')} drifted`;
  return `unchanged  ${what} ${step.sid}`;
}

/** A path as the user would type it from where they are: relative inside the working directory, else absolute. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function formatEnvChanges(changes: EnvChange[], envFile: string, dryRun: boolean, cwd: string): string[] {
  const shown = displayPath(cwd, envFile);
  if (changes.length === 0) return [`${shown}: already up to date`];
  const lines = [`${shown}${dryRun ? ' (would change)' : ''}:`];
  for (const change of changes) {
    const secret = isGeneratedSecret(change.key);
    if (change.action === 'add') lines.push(`  add      ${change.key}=${secret ? '<a new random key, not shown>' : change.value}`);
    else if (change.action === 'update' && secret) lines.push(`  update   ${change.key}=<a new random key, not shown> (was empty)`);
    else if (change.action === 'update') lines.push(`  update   ${change.key}=${change.value} (was ${change.from || 'empty'})`);
    else lines.push(`  disable  ${change.key} (commented out: ${change.reason})`);
  }
  return lines;
}

/** One paragraph on the Flex Flows of the original custom-chat pattern: what replaces them, how to remove them. */
export function formatLegacyFlexFlows(plan: Plan): string[] {
  const flows = plan.legacyFlexFlows;
  if (flows.length === 0) return [];
  const named = flows.map((flow) => `"${flow.name}" (${flow.sid})`).join(', ');
  const route = plan.options.route === 'studio' ? 'the Studio flow above, whose Send to Flex widget creates the task' : 'the Interactions API';
  const removal = flows.map((flow) => `twilio api:flex:v1:flex-flow:remove --sid ${flow.sid}`).join('; ');
  return [
    '',
    'Legacy Flex Flow:',
    `  ${flows.length === 1 ? 'Flex Flow' : 'Flex Flows'} ${named} with channel type custom ${flows.length === 1 ? 'belongs' : 'belong'} to the original custom-chat ` +
      'pattern (a Programmable Chat channel per chat, created through the Flex Flow), which ended with Programmable Chat for Flex on 2026-06-01. ' +
      `What this command set up replaces it: the middleware opens one Conversation per customer and routes it to Flex through ${route}, so nothing ` +
      `needs the Flex Flow any more. This command leaves it as it is; remove it in the Console (Flex > Channel management > Messaging, its Legacy Addresses tab) or with: ${removal}`,
  ];
}

export function formatWarnings(warnings: string[]): string[] {
  return warnings.length ? ['', 'Warnings:', ...warnings.map((warning) => `  ! ${warning}`)] : [];
}

export function formatOutcome(plan: Plan, envChanged: boolean): string[] {
  const created = plan.steps.filter((step) => step.action === 'create').length;
  const updated = plan.steps.filter((step) => step.action === 'update').length;
  if (plan.options.dryRun) {
    return created + updated === 0 && !envChanged
      ? ['', 'Dry run: nothing would change; the account and the .env file are already set up.']
      : [
          '',
          `Dry run: nothing was changed. ${created} to create, ${updated} to update${envChanged ? ', and the .env file to write' : ''}. Run again without --dry-run to apply.`,
        ];
  }
  if (created + updated === 0 && !envChanged) return ['', 'Nothing to change: the account and the .env file are already set up.'];
  const parts = [`created ${created}`, `updated ${updated}`];
  return ['', `Done: ${parts.join(', ')}${envChanged ? ', .env file written' : ', .env file unchanged'}.`];
}

export interface NextStepsInput {
  plan: Plan;
  /** The variables the middleware will see: the .env file over the current environment. */
  effectiveEnv: Record<string, string | undefined>;
  channels: Array<{ channelType: string; adapter: string }>;
  envFileShown: string;
  /** The .env file as ENV_FILE names it: npm run middleware starts in middleware/, whatever the user's directory. */
  envFileForMiddleware: string;
  /** Steps of channels with a setup of their own (the messengers' webhooks), after the webhook channels' own. */
  channelSteps?: string[];
  /** Steps once the middleware runs (the first message on a messenger). */
  finalSteps?: string[];
}

/** What the command cannot do for the user: the remaining steps, in order. */
export function formatNextSteps({
  plan,
  effectiveEnv,
  channels,
  envFileShown,
  envFileForMiddleware,
  channelSteps = [],
  finalSteps = [],
}: NextStepsInput): string[] {
  const steps: string[] = [];
  const missing = (name: string) => !effectiveEnv[name];
  if (missing('PUBLIC_BASE_URL')) {
    steps.push(`Set PUBLIC_BASE_URL in ${envFileShown}: the public https URL Twilio reaches the middleware at (webhooks go there and are signed for it).`);
  }
  const needsCredentials = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'].filter(missing);
  if (needsCredentials.length) {
    steps.push(
      `Give the middleware ${needsCredentials.join(' and ')} in its environment (this command never writes credentials; the auth token verifies Twilio's webhook signatures).`,
    );
  }
  for (const channel of channels) {
    if (channel.adapter !== 'webhook') continue;
    const prefix = channelEnvPrefix(channel.channelType);
    const absent = [`${prefix}_SECRET`, `${prefix}_DELIVERY_URL`].filter(missing);
    if (absent.length)
      steps.push(`Set ${absent.join(' and ')} for channel "${channel.channelType}" (the secret: 16+ random characters, e.g. openssl rand -hex 32).`);
  }
  steps.push(...channelSteps);
  if (plan.options.route === 'studio' && plan.options.bot) {
    steps.push(
      'The bot flow is yours to edit in the Studio editor (greeting, menu, what the choice sets): later runs of this command keep it as it is. Its menu buttons are the Content template "Custom channels: bot menu".',
    );
  } else if (plan.options.route === 'studio') {
    steps.push(
      'The Studio flow is managed by this command (the next run puts back what it needs). To add steps before Send to Flex, duplicate it in the Studio editor and set STUDIO_FLOW_SID to the copy.',
    );
  }
  steps.push(
    'Deploy the Flex plugin from the repository root (twilio flex:plugins:deploy, then twilio flex:plugins:release): it gives the channels their icons and task templates.',
  );
  steps.push('Make sure agents can take the tasks: available workers with capacity on the "chat" channel, in a queue of the workflow.');
  steps.push(
    `Start the middleware: npm run middleware reads middleware/.env (ENV_FILE=${envFileForMiddleware} to read another file; variables already in the environment win), then send a test message (middleware README, "curl").`,
  );
  steps.push(...finalSteps);
  return ['', 'What remains to do:', ...steps.map((step, index) => `  ${index + 1}. ${step}`)];
}
