/**
 * Two instances on one Redis (a single redis-server, then a three-master Redis Cluster), one
 * of them a child process killed with SIGKILL in the middle
 * of a run: the other finishes the work, nothing is lost or doubled. Verified from the
 * stand-in's side (each customer's conversations and messages) and at the channel's endpoint.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { conversationsOf, messagesOf, startCluster, type Cluster, type Instance, type SharedRedis } from '@custom-channels/test-kit/cluster';
import { eventually } from '@custom-channels/test-kit/poll';

for (const redis of ['redis', 'redis cluster'] satisfies SharedRedis[]) {
  describe(`two instances on ${redis}, one killed`, () => {
    let cluster: Cluster;
    let doomed: Instance;
    let survivor: Instance;

    before(async () => {
      cluster = await startCluster({ redis });
      doomed = await cluster.spawnInstance('C');
      survivor = await cluster.addInstance('B');
    });
    after(() => cluster.stop());

    test('an instance killed with SIGKILL mid-run: the other finishes its work, nothing lost or doubled', { timeout: 120_000 }, async () => {
      // Twilio answers slowly, so the doomed instance has posts and creations in flight when it dies.
      cluster.sandbox.setFaults({
        http: [{ match: { product: 'conversations', method: 'POST' }, latencyMs: { min: 5, max: 40 } }],
      });
      const customers = Array.from({ length: 6 }, (_, i) => ({ id: `crash-customer-${i}`, name: `Crash Customer ${i}` }));
      const perCustomer = 12;
      let accepted = 0;

      /** A channel: each message to the next instance in turn; on a connection error it sends the same id again elsewhere. */
      const sendAll = async (customer: { id: string; name: string }, offset: number) => {
        for (let n = 0; n < perCustomer; n += 1) {
          const body = { id: `${customer.id}-m${n}`, from: customer, text: `${customer.name} message ${n}` };
          let target = (n + offset) % 2 === 0 ? doomed : survivor;
          for (;;) {
            try {
              const answer = await cluster.send(target, body);
              assert.ok(answer.status === 202 || answer.status === 200, `status ${answer.status}`);
              accepted += 1;
              break;
            } catch {
              target = survivor;
            }
          }
        }
      };
      const sending = Promise.all(customers.map((customer, i) => sendAll(customer, i)));

      await eventually(() => accepted >= 20, 'a third of the messages accepted');
      const pendingAtKill = (await survivor.middleware!.store.countOutbox()).reduce((sum, count) => sum + count.pending, 0);
      await doomed.kill!();
      await sending;
      assert.ok(pendingAtKill > 0, 'the instance died with work in hand');

      // Every customer: one conversation, holding each of their messages once, in the order sent.
      for (const customer of customers) {
        const expected = Array.from({ length: perCustomer }, (_, n) => `${customer.name} message ${n}`);
        // A creation the killed instance left half done is rolled back by the survivor: wait for one conversation with everything.
        const messages = await eventually(
          async () => {
            const found = await conversationsOf(cluster, customer.name);
            if (found.length !== 1) return false;
            const all = await messagesOf(cluster, found[0]!.sid);
            return all.length >= perCustomer && all;
          },
          `all messages of ${customer.name} in one conversation (entries held by the killed instance are taken over when their lease runs out)`,
          60_000,
        );
        assert.deepEqual(
          messages.map((message) => message.body),
          expected,
          `${customer.name}: each message once, in order`,
        );
        assert.equal((await conversationsOf(cluster, customer.name)).length, 1, `${customer.name}: one conversation, no orphan`);
      }
      // Each customer's conversation has one task, and a task routed for a conversation that was rolled
      // back (its interaction created by the killed instance, maybe never recorded) is canceled with it.
      const tasks = await cluster.control.tasks();
      const surviving = new Set<string>();
      for (const customer of customers) {
        const [conversation] = await conversationsOf(cluster, customer.name);
        surviving.add(conversation!.sid);
        assert.equal(
          tasks.filter((task) => task.attributes.conversationSid === conversation!.sid).length,
          1,
          `${customer.name}: one task for the conversation`,
        );
      }
      for (const task of tasks.filter((each) => !surviving.has(String(each.attributes.conversationSid)))) {
        assert.equal(task.status, 'canceled', `task ${task.sid} of a rolled-back conversation`);
      }

      // The agents' side keeps working through the survivor: replies reach the channel once.
      cluster.sandbox.setFaults({});
      const [firstConversation] = await conversationsOf(cluster, customers[0]!.name);
      const task = tasks.find((candidate) => candidate.attributes.conversationSid === firstConversation!.sid)!;
      await cluster.control.accept(task.sid);
      for (const text of ['after the crash 1', 'after the crash 2']) await cluster.control.reply(task.sid, text);
      const replies = () =>
        cluster.receiver.received.filter((delivery) => delivery.body.type === 'message' && (delivery.body.to as { id: string }).id === customers[0]!.id);
      await eventually(() => replies().length >= 2, 'both replies at the channel');
      await cluster.sandbox.idle();
      assert.deepEqual(
        replies().map((delivery) => delivery.body.text),
        ['after the crash 1', 'after the crash 2'],
      );
    });

    test(`readiness reports a ${redis} that is gone`, async () => {
      assert.equal((await fetch(`${survivor.url}/readyz`)).status, 200);
      await cluster.redis.stop({ crash: true });
      await eventually(async () => (await fetch(`${survivor.url}/readyz`)).status === 503, '/readyz answering 503');
      const body = (await (await fetch(`${survivor.url}/readyz`)).json()) as { reason: string };
      assert.equal(body.reason, 'store does not answer');
    });
  });
}
