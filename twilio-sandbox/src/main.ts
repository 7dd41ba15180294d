/**
 * `npm run sandbox [-- --port 4010] [--host 127.0.0.1] [--seed 42] [--faults '{"http":[...]}'] [--log]`
 * Starts the Twilio stand-in and prints its URL, credentials and seeded SIDs.
 */
import { serializeError } from '@custom-channels/logging';
import { startSandbox, type FaultSettings } from './index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? process.env.PORT ?? 4010);
  const seedRaw = arg('seed') ?? process.env.SANDBOX_SEED;
  const faultsRaw = arg('faults') ?? process.env.SANDBOX_FAULTS;
  const sandbox = await startSandbox({
    port,
    host: arg('host') ?? process.env.HOST ?? '127.0.0.1',
    accountSid: process.env.TWILIO_ACCOUNT_SID,
    authToken: process.env.TWILIO_AUTH_TOKEN,
    seed: seedRaw !== undefined ? Number(seedRaw) : undefined,
    faults: faultsRaw ? (JSON.parse(faultsRaw) as FaultSettings) : undefined,
    logger: process.argv.includes('--log'),
  });
  const lines = [
    `Twilio stand-in listening on ${sandbox.url}`,
    ``,
    `  TWILIO_API_BASE_URL=${sandbox.url}`,
    `  TWILIO_ACCOUNT_SID=${sandbox.accountSid}`,
    `  TWILIO_AUTH_TOKEN=${sandbox.authToken}`,
    ``,
    `  Conversations service (default)  ${sandbox.seeded.conversationsServiceSid}`,
    `  Workspace 'Flex Task Assignment' ${sandbox.seeded.workspaceSid}`,
    `  Workflow 'Assign to Anyone'      ${sandbox.seeded.workflowSid}`,
    `  Task channel 'chat'              ${sandbox.seeded.chatTaskChannelSid}`,
    ``,
    `  Control API: ${sandbox.url}/sandbox/tasks   (fault seed ${sandbox.seed})`,
  ];
  console.log(lines.join('\n'));
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`The Twilio stand-in failed: ${serializeError(err).stack}`);
  process.exit(1);
});
