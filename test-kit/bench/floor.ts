/**
 * What the CPU targets leave for the middleware's own work. bench/floor-service.ts does the least
 * a middleware on this stack does per message (per inbound message: serve the signed request,
 * post through the `twilio` library, serve the echo webhook; per delivery: serve the agent's
 * message webhook, post it signed to the channel) and nothing else: no store, no outbox. Its CPU
 * per message, as a ratio to the library's CPU per post, is the one no middleware built this way
 * goes under. Measured as the scenarios are: pinned to the measured core, warm, the same load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTwilioClient, PACKAGE_DIR, type TwilioClient } from '@custom-channels/middleware';
import { DEFAULT_ACCOUNT_SID as ACCOUNT_SID, DEFAULT_AUTH_TOKEN as AUTH_TOKEN } from '@custom-channels/twilio-sandbox';
import { freePort } from '../src/free-port.js';
import { productionCommand } from '../src/production-command.js';
import { startSandboxProcess } from '../src/sandbox-process.js';
import { stopChild } from '../src/stop-child.js';
import { WARM_UP_MS } from './ceiling.js';
import { startCpuWatch } from './cpu-time.js';
import type { Pinning } from './pinning.js';
import { openCustomerConversations } from './customer-conversations.js';
import { pool } from './pool.js';
import { inboundMessage, send, takeResentCount } from './prepared-requests.js';
import type { Floor } from './report.js';

const SECRET = 'bench-floor-secret-0123456789abcdef';

export interface FloorSettings {
  /** The channel's delivery endpoint. */
  sinkUrl: string;
  customers: number;
  seconds: number;
  deliveries: number;
  pinning: Pinning;
  log: (line: string) => void;
}

interface FloorCounts {
  posted: number;
  failed: number;
  echoes: number;
  delivered: number;
}

interface FloorService {
  process: ChildProcess;
  url: string;
  ask(message: unknown): Promise<unknown>;
}

/** The floor service as `npm start` runs the middleware: its node options, pinned to the measured core. */
async function startFloorService(standInUrl: string, settings: FloorSettings): Promise<FloorService> {
  const { env: startEnv, nodeOptions } = productionCommand();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', fileURLToPath(new URL('./floor-service.ts', import.meta.url))], {
    env: {
      ...process.env,
      ...startEnv,
      PORT: String(port),
      PUBLIC_BASE_URL: url,
      FLOOR_SECRET: SECRET,
      FLOOR_DELIVERY_URL: settings.sinkUrl,
      FLOOR_MIDDLEWARE_LIBRARY: join(PACKAGE_DIR, 'build', 'src', 'index.js'),
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_API_BASE_URL: standInUrl,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  settings.pinning.toMeasuredCore(child.pid!);
  const [first] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => ['exited'])])) as [unknown];
  if (first !== 'listening') throw new Error('the floor service did not start');
  return {
    process: child,
    url,
    async ask(message) {
      child.send(message as object);
      const [answer] = (await once(child, 'message')) as [unknown];
      return answer;
    },
  };
}

/** The customers' conversations, their webhook back to the service, which learns them. */
async function openConversations(admin: TwilioClient, floor: FloorService, customers: number): Promise<string[]> {
  const opened = await openCustomerConversations(admin, customers, `${floor.url}/twilio/conversations`);
  const conversations = Object.fromEntries(opened.map((conversation, customer) => [`customer-${customer}`, conversation]));
  if ((await floor.ask({ conversations })) !== 'ready') throw new Error('the floor service did not take the conversations');
  return opened.map(({ sid }) => sid);
}

export async function runFloor(settings: FloorSettings): Promise<Floor> {
  const { log } = settings;
  log('\n== floor: fastify, the twilio library and the webhooks, no store');
  const standIn = await startSandboxProcess();
  const floor = await startFloorService(standIn.url, settings);
  try {
    const admin = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: standIn.url });
    const conversations = await openConversations(admin, floor, settings.customers);
    const counts = () => floor.ask('counts') as Promise<FloorCounts>;
    /** Until the service has sent `target` deliveries (or failed some) and the stand-in every webhook. */
    const drainDeliveries = async (target: number) => {
      for (let now = await counts(); now.delivered + now.failed < target; now = await counts()) await sleep(20);
      await standIn.idle();
    };

    let n = 0;
    /** Each customer sends its next message as soon as the last is accepted, until `until`; the messages accepted. */
    const sendUntil = async (until: number): Promise<number> => {
      let accepted = 0;
      await Promise.all(
        Array.from({ length: settings.customers }, async (_, customer) => {
          while (performance.now() < until) {
            n += 1;
            const message = {
              id: `floor-${n}`,
              from: { id: `customer-${customer}`, name: `Customer ${customer}` },
              text: `message ${n} from customer ${customer}`,
            };
            if ((await send(inboundMessage(floor.url, SECRET, message))) === 202) accepted += 1;
          }
        }),
      );
      return accepted;
    };
    // Each message is posted before it is answered: what is left on the way is its echo.
    await sendUntil(performance.now() + WARM_UP_MS);
    await standIn.idle();
    const inboundCpu = startCpuWatch([floor.process.pid!]);
    const accepted = await sendUntil(performance.now() + settings.seconds * 1000);
    await standIn.idle();
    const inboundSeconds = inboundCpu()?.processSeconds[0];

    /** Agents' replies over REST, 50 at a time, as the scenarios send them. */
    const reply = async (count: number, target: number) => {
      await pool(count, 50, async (index) => {
        await admin.conversations.v1
          .conversations(conversations[index % conversations.length]!)
          .messages.create({ author: 'agent@example.com', body: `reply ${index}` });
      });
      await drainDeliveries(target);
    };
    await reply(conversations.length, conversations.length);
    const deliveryCpu = startCpuWatch([floor.process.pid!]);
    await reply(settings.deliveries, conversations.length + settings.deliveries);
    const deliverySeconds = deliveryCpu()?.processSeconds[0];

    const { posted, failed, echoes } = await counts();
    if (failed > 0) throw new Error(`the floor service failed ${failed} posts or deliveries`);
    // More is fine: the stand-in, like Twilio, sends a webhook again after a failed attempt.
    if (echoes < posted) throw new Error(`the floor service read ${echoes} echoes of its ${posted} posts`);
    const resent = takeResentCount();
    if (resent > 0) log(`floor: ${resent} customer messages sent again after a reset connection`);
    const floorFigures = {
      cpuPerInboundUs: inboundSeconds === undefined ? Number.NaN : (inboundSeconds * 1e6) / accepted,
      cpuPerDeliveryUs: deliverySeconds === undefined ? Number.NaN : (deliverySeconds * 1e6) / settings.deliveries,
    };
    log(`floor: CPU per inbound message ${floorFigures.cpuPerInboundUs.toFixed(0)} µs, per delivery ${floorFigures.cpuPerDeliveryUs.toFixed(0)} µs`);
    return floorFigures;
  } finally {
    await stopChild(floor.process, 'SIGTERM', 5000);
    await standIn.close();
  }
}
