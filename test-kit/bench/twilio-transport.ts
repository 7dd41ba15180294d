/**
 * `npm run bench:transport -w test-kit`: the CPU one message post costs the client, through the
 * middleware's Twilio client on each transport ('library': the `twilio` library's own axios
 * client; 'keep-alive': the middleware's default), against a fixed local answer served by a child
 * process (so only the client's work is counted). Each transport runs in a process of its own,
 * interleaved, BENCH_TRANSPORT_ROUNDS (3) times; the medians are printed. Knobs:
 * BENCH_TRANSPORT_POSTS (10,000 per round, 64 in flight).
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTwilioClient } from '@custom-channels/middleware';
import { freePort } from '../src/free-port.js';

const TRANSPORTS = ['library', 'keep-alive'] as const;
type Transport = (typeof TRANSPORTS)[number];
const posts = Number(process.env.BENCH_TRANSPORT_POSTS ?? 10_000);
const rounds = Number(process.env.BENCH_TRANSPORT_ROUNDS ?? 3);
const IN_FLIGHT = 64;
const CONVERSATION_SID = 'CH00000000000000000000000000000001';

// Twilio's answer to a message post, in its usual size.
const ANSWER_SERVER = `
const answer = JSON.stringify({ sid: 'IM00000000000000000000000000000001', account_sid: 'AC00000000000000000000000000000000',
  conversation_sid: '${CONVERSATION_SID}', body: 'message', author: 'chatapp_1', attributes: '{}', index: 1,
  date_created: '2026-12-05T15:00:00Z', date_updated: '2026-12-05T15:00:00Z', media: null, delivery: null,
  url: 'https://conversations.twilio.com/v1/Conversations/${CONVERSATION_SID}/Messages/IM00000000000000000000000000000001' });
require('node:http').createServer((request, response) => {
  request.resume();
  request.on('end', () => { response.writeHead(201, { 'content-type': 'application/json' }); response.end(answer); });
}).listen(Number(process.argv[1]), '127.0.0.1', () => process.send('listening'));
`;

/** One round in this process: CPU per post, after a warm-up. */
async function measure(transport: Transport, port: number): Promise<number> {
  const client = createTwilioClient({
    accountSid: 'AC00000000000000000000000000000000',
    authToken: 'token',
    apiBaseUrl: `http://127.0.0.1:${port}`,
    transport,
  });
  const run = async (count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < count) {
          next += 1;
          await client.conversations.v1
            .conversations(CONVERSATION_SID)
            .messages.create({ author: 'chatapp_1', body: `message ${next}`, attributes: '{"externalId":"x"}', xTwilioWebhookEnabled: 'true' });
        }
      }),
    );
  };
  await run(Math.min(2000, posts));
  const before = process.cpuUsage();
  await run(posts);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / posts;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const [, , transport, port] = process.argv;
  if (transport) {
    process.stdout.write(`${await measure(transport as Transport, Number(port))}\n`);
    return;
  }
  const serverPort = await freePort();
  const server = spawn(process.execPath, ['-e', ANSWER_SERVER, String(serverPort)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((listening) => server.once('message', listening));
  try {
    const perPost: Record<Transport, number[]> = { library: [], 'keep-alive': [] };
    for (let round = 0; round < rounds; round += 1) {
      for (const each of TRANSPORTS) {
        const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), each, String(serverPort)], { encoding: 'utf8' });
        if (child.status !== 0) throw new Error(`the ${each} round failed: ${child.stderr}`);
        perPost[each].push(Number(child.stdout.trim()));
      }
    }
    for (const each of TRANSPORTS) {
      process.stdout.write(
        `${each}: ${median(perPost[each]).toFixed(0)} µs of CPU per post (median of ${rounds}: ${perPost[each].map((us) => us.toFixed(0)).join(', ')})\n`,
      );
    }
  } finally {
    server.kill();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`transport bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
