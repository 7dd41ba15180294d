/**
 * Redis commands per message, counted by the servers themselves (MONITOR on each node): how
 * many commands the instances send (round trips, each EVALSHA one) and how many run in all
 * (scripts' own commands included), per inbound message (customer → Flex, its echo webhook
 * included) and per delivery (agent's reply webhook → channel; the first to a conversation, and
 * the next ones, whose session the instance remembers). Instances run in-process with
 * the outbox poll off, and messages go one at a time, each until handled, so the counts are
 * exact: what each message costs, not what the timers happen to add.
 *
 * `npm run bench:redis-commands -w test-kit` (REDIS_COMMANDS_MESSAGES, default 20).
 */
import { startMiddleware } from '@custom-channels/middleware';
import { conversationsOf, messagesOf, startCluster, type Cluster, type Instance, type SharedRedis } from '../src/cluster.js';
import { inProcessConfig, loggerInto } from '../src/harness.js';
import { eventually } from '../src/poll.js';
import { countRedisCommands, type CommandCount } from '../src/redis-monitor.js';

const MESSAGES = Number(process.env.REDIS_COMMANDS_MESSAGES ?? 20);
/** Long enough that no poll falls inside a measurement: only the messages' own work is counted. */
const NO_POLL_MS = 3_600_000;

function nodesOf(cluster: Cluster): Array<{ host: string; port: number }> {
  const redis = cluster.redis as { url: string; masters?: Array<{ host: string; port: number }> };
  if (redis.masters) return redis.masters;
  const url = new URL(redis.url);
  return [{ host: url.hostname, port: Number(url.port) }];
}

async function addQuietInstance(cluster: Cluster, name: string): Promise<Instance> {
  const config = { ...inProcessConfig(cluster.env), outboxPollIntervalMs: NO_POLL_MS };
  const middleware = await startMiddleware(config, { logger: loggerInto(cluster.logLines, config.logLevel, `${name} `) });
  const instance: Instance = { name, url: middleware.url, middleware, stop: () => middleware.stop() };
  cluster.instances.push(instance);
  cluster.balancer.targets.push(instance.url);
  return instance;
}

function describe(counted: CommandCount, messages: number): string {
  const per = (n: number) => (n / messages).toFixed(2);
  const top = [...counted.byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${per(n)}`)
    .join(', ');
  return `${per(counted.sent)} commands sent (requests), ${per(counted.sent + counted.inScripts)} run in all; ${top}`;
}

async function measure(redis: SharedRedis, instanceCount: number): Promise<void> {
  const cluster = await startCluster({ redis });
  try {
    const instances: Instance[] = [];
    for (let i = 0; i < instanceCount; i += 1) instances.push(await addQuietInstance(cluster, `I${i}`));
    const at = (n: number) => instances[n % instances.length]!;
    const customers = Array.from({ length: MESSAGES }, (_, i) => ({ id: `count-${i}`, name: `Count Customer ${i}` }));
    // Each customer's conversation opens first (not counted), then is accepted so agents can reply.
    for (const [i, from] of customers.entries()) {
      if ((await cluster.send(at(i), { id: `open-${i}`, from, text: 'hello' })).status !== 202) throw new Error('opening refused');
    }
    const conversations = await Promise.all(
      customers.map((customer) =>
        eventually(async () => {
          const found = await conversationsOf(cluster, customer.name);
          return found.length > 0 && (await messagesOf(cluster, found[0]!.sid)).length >= 1 && found[0]!.sid;
        }, 'the conversation'),
      ),
    );
    for (const task of await cluster.control.tasks()) await cluster.control.accept(task.sid);
    await cluster.sandbox.idle();
    // The agents' joining reaches the customers too: counted neither as inbound nor as replies.
    await eventually(async () => (await instances[0]!.middleware!.store.countOutbox()).length === 0, 'the outbox drained');
    const nodes = nodesOf(cluster);

    const inbound = await countRedisCommands(nodes, async () => {
      for (const [i, from] of customers.entries()) {
        if ((await cluster.send(at(i + 1), { id: `next-${i}`, from, text: 'again' })).status !== 202) throw new Error('message refused');
        await eventually(async () => (await messagesOf(cluster, conversations[i]!)).length >= 2, 'the message posted');
        await cluster.sandbox.idle();
      }
    });
    const tasks = await cluster.control.tasks();
    const replyToEach = (round: string) =>
      countRedisCommands(nodes, async () => {
        const delivered = cluster.receiver.received.length;
        for (const [i, customer] of customers.entries()) {
          const task = tasks.find((one) => one.attributes.name === customer.name)!;
          await cluster.control.reply(task.sid, `${round} reply ${i}`);
          await cluster.sandbox.idle();
          await eventually(() => cluster.receiver.received.length >= delivered + i + 1, 'the delivery');
        }
      });
    // An instance reads a conversation's session for the first reply it queues there, and
    // remembers it for the next ones.
    const firstDelivery = await replyToEach('first');
    const nextDelivery = await replyToEach('next');
    const label = `${redis}, ${instanceCount} instance${instanceCount > 1 ? 's' : ''}`;
    console.log(`${label}: per inbound message ${describe(inbound, MESSAGES)}`);
    console.log(`${label}: per first delivery to a conversation ${describe(firstDelivery, MESSAGES)}`);
    console.log(`${label}: per further delivery ${describe(nextDelivery, MESSAGES)}`);
  } finally {
    await cluster.stop();
  }
}

for (const [redis, count] of [
  ['redis', 1],
  ['redis', 2],
  ['redis cluster', 1],
] as const) {
  await measure(redis, count);
}
