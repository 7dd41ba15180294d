/**
 * `npm run demo`: the whole loop on this machine, no Twilio account. See README.md here.
 * Ports: DEMO_MIDDLEWARE_PORT (3000), DEMO_AGENT_PORT (3001), DEMO_SANDBOX_PORT (4010),
 * DEMO_TELEGRAM_PORT (4020), DEMO_LINE_PORT (4030), DEMO_VIBER_PORT (4040), DEMO_INSTAGRAM_PORT (4050);
 * DEMO_HOST (127.0.0.1); LOG_LEVEL for the middleware's JSON logs (warn).
 */
import { ConfigError, PortInUseError } from '@custom-channels/middleware';
import { safeErrorMessage, serializeError } from '@custom-channels/logging';
import { DEMO_WEBHOOK_SECRET, startDemo } from './demo.js';

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    process.stderr.write(`${name} must be a port number (0 for any free port), got "${value}"\n`);
    process.exit(1);
  }
  return Number(value);
}

async function main(): Promise<void> {
  let demo;
  process.stdout.write('Starting the demo (the first start bundles the Flex UI for the agent view: some seconds)...\n');
  try {
    demo = await startDemo({
      host: process.env.DEMO_HOST || undefined,
      middlewarePort: port('DEMO_MIDDLEWARE_PORT', 3000),
      agentPort: port('DEMO_AGENT_PORT', 3001),
      sandboxPort: port('DEMO_SANDBOX_PORT', 4010),
      telegramPort: port('DEMO_TELEGRAM_PORT', 4020),
      linePort: port('DEMO_LINE_PORT', 4030),
      viberPort: port('DEMO_VIBER_PORT', 4040),
      instagramPort: port('DEMO_INSTAGRAM_PORT', 4050),
      logLevel: process.env.LOG_LEVEL || undefined,
      onDelivery: ({ channelType, signatureValid, event }) => {
        // Like every log line of the kit, the channel app's names what arrived, not what it says.
        const { type, text } = event as { type?: string; text?: string };
        const summary = type === 'message' ? `message (${String(text ?? '').length} characters)` : String(type);
        process.stdout.write(`[${channelType} app] received ${summary}${signatureValid ? '' : ' (BAD SIGNATURE)'}\n`);
      },
    });
  } catch (error) {
    if (error instanceof PortInUseError || error instanceof ConfigError) {
      process.stderr.write(`The demo could not start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const { urls } = demo;
  process.stdout.write(
    [
      '',
      'Custom channels demo: running on this machine, no Twilio account involved.',
      '',
      `  Customer web chat   ${urls.webchat}`,
      `  Agent view (Flex)   ${urls.agent}   (signed in as alice; ?worker=bob or carol for a second agent)`,
      `  Middleware          ${urls.middleware}   (/healthz, /readyz, /inbound/chatapp)`,
      `  Twilio stand-in     ${urls.sandbox}   (/sandbox/tasks)`,
      `  Telegram customer   ${urls.telegram}   (a stand-in of Telegram: no bot account needed)`,
      `  LINE customer       ${urls.line}   (a stand-in of LINE: no LINE account needed)`,
      `  Viber customer      ${urls.viber}   (a stand-in of Viber: no bot account needed)`,
      `  Instagram customer  ${urls.instagram}   (a stand-in of Instagram: no Meta app needed)`,
      `  Database            ${demo.databasePath}   (emptied at each start)`,
      '',
      '  Open the web chat and the agent view side by side: say hello as the customer,',
      "  accept the task with Flex's own button, reply, then complete it.",
      `  The chatapp channel's deliveries are printed below (demo secret: ${DEMO_WEBHOOK_SECRET}).`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      process.stderr.write('Stopping now.\n');
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the demo...\n`);
    void demo.stop().then(
      () => {
        process.stdout.write('Stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`stopping failed: ${safeErrorMessage(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main().catch((error: unknown) => {
  process.stderr.write(`The demo failed to start: ${serializeError(error).stack}\n`);
  process.exit(1);
});
