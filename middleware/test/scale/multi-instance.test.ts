/**
 * Two middleware instances on one real redis-server (DATABASE_URL=redis://...), then on a
 * real three-master Redis Cluster (DATABASE_URL=redis+cluster://...), behind a
 * loopback load balancer, against the Twilio stand-in. Every outcome is read from the
 * stand-in's side (its conversations, messages and tasks) or the channel's endpoint,
 * never from the middleware's logs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { conversationsOf, messagesOf, startCluster, type Cluster, type Instance, type SharedRedis } from '@custom-channels/test-kit/cluster';
import { eventually } from '@custom-channels/test-kit/poll';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';

for (const redis of ['redis', 'redis cluster'] satisfies SharedRedis[]) {
  describe(`several instances on ${redis}`, () => {
    let cluster: Cluster;
    let a: Instance;
    let b: Instance;
    const at = (index: number) => (index % 2 === 0 ? a : b);

    before(async () => {
      cluster = await startCluster({ redis });
      a = await cluster.addInstance('A');
      b = await cluster.addInstance('B');
    });
    after(() => cluster.stop());

    /** The customer's conversation, once it holds at least `count` messages (read from the stand-in). */
    const conversationHolding = async (customerName: string, count: number, timeoutMs?: number) => {
      const [conversation] = await eventually(async () => {
        const found = await conversationsOf(cluster, customerName);
        return found.length > 0 && found;
      }, 'the conversation');
      const messages = await eventually(
        async () => {
          const all = await messagesOf(cluster, conversation!.sid);
          return all.length >= count && all;
        },
        `${count} messages in the conversation`,
        timeoutMs,
      );
      return { conversation: conversation!, messages };
    };

    const taskOf = (name: string) =>
      eventually(async () => (await cluster.control.tasks()).find((task) => task.attributes.name === name), `the task of ${name}`);

    test('readiness reflects Redis', async () => {
      for (const instance of [a, b]) {
        const response = await fetch(`${instance.url}/readyz`);
        assert.equal(response.status, 200);
      }
    });

    test('20 concurrent first messages of one customer, split across both instances: one conversation holding all 20', async () => {
      const customer = { id: 'burst-customer', name: 'Burst Customer' };
      const ids = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
      const answers = await Promise.all(ids.map((id, i) => cluster.send(at(i), { id, from: customer, text: `message ${id}` })));
      assert.deepEqual(
        answers.map((answer) => answer.status),
        ids.map(() => 202),
      );

      const { conversation, messages } = await conversationHolding(customer.name, 20);
      assert.equal(messages.length, 20);
      assert.deepEqual(messages.map((message) => message.externalId).sort(), [...ids].sort(), 'each message once');
      assert.equal((await conversationsOf(cluster, customer.name)).length, 1, 'exactly one conversation');
      assert.equal((await cluster.control.tasks()).filter((task) => task.attributes.conversationSid === conversation.sid).length, 1, 'exactly one task');
    });

    test('one message after another, alternating instances, with Twilio slow and throttling: Flex gets them in order', async () => {
      const throttled = { product: 'conversations', method: 'POST', path: '/v1/Conversations/*/Messages' };
      // Three writes in ten throttled, two of them one after the other.
      const script = Array.from({ length: 60 }, (_, n) => ([0, 3, 4].includes(n % 10) ? (429 as const) : ('none' as const)));
      cluster.sandbox.setFaults({ http: [{ match: throttled, script, retryAfterSeconds: 0, latencyMs: 10 }] });
      try {
        const customer = { id: 'ordered-customer', name: 'Ordered Customer' };
        const ids = Array.from({ length: 24 }, (_, i) => `ordered-${i}`);
        for (const [i, id] of ids.entries()) assert.equal((await cluster.send(at(i), { id, from: customer, text: id })).status, 202);
        const { messages } = await conversationHolding(customer.name, ids.length, 30_000);
        assert.deepEqual(
          messages.map((message) => message.body),
          ids,
        );
        assert.equal((await conversationsOf(cluster, customer.name)).length, 1);
      } finally {
        cluster.sandbox.setFaults({});
      }
    });

    test('the same inbound id sent to both instances at once: one message', async () => {
      const customer = { id: 'dedupe-customer', name: 'Dedupe Customer' };
      const body = { id: 'twice-1', from: customer, text: 'only once' };
      const answers = await Promise.all([cluster.send(a, body), cluster.send(b, body)]);
      assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 202]);
      assert.equal((await cluster.send(b, body)).status, 200);
      assert.equal((await cluster.send(a, { id: 'twice-2', from: customer, text: 'second' })).status, 202);

      const { messages } = await conversationHolding(customer.name, 2);
      assert.deepEqual(
        messages.map((message) => message.body),
        ['only once', 'second'],
      );
    });

    test('each Twilio webhook delivered to both instances at once: every agent reply reaches the channel once, in order', async () => {
      const customer = { id: 'webhook-customer', name: 'Webhook Customer' };
      assert.equal((await cluster.send(a, { id: 'wh-1', from: customer, text: 'hello' })).status, 202);
      const task = await taskOf(customer.name);
      await cluster.control.accept(task.sid);
      cluster.balancer.routeWebhooks('all');
      try {
        const replies = Array.from({ length: 6 }, (_, i) => `reply ${i}`);
        // Twilio does not order webhooks, and the middleware delivers in the order they arrive (the
        // README's known limits): each reply's webhook is let through before the next reply, and
        // before the close webhook, so the order asserted is the one the middleware promises.
        for (const reply of replies) {
          await cluster.control.reply(task.sid, reply);
          await cluster.sandbox.idle();
        }
        await cluster.control.complete(task.sid);
        const forCustomer = () => cluster.receiver.received.filter((delivery) => (delivery.body.to as { id: string }).id === customer.id);
        await eventually(() => forCustomer().some((delivery) => delivery.body.type === 'ended'), 'the ended event');
        await cluster.sandbox.idle();
        const messages = forCustomer().filter((delivery) => delivery.body.type === 'message');
        assert.deepEqual(
          messages.map((delivery) => delivery.body.text),
          replies,
          'each reply once, in order',
        );
        assert.equal(forCustomer().filter((delivery) => delivery.body.type === 'ended').length, 1, 'one ended event');
        assert.ok(messages.every((delivery) => delivery.signatureValid));
        const both = cluster.balancer.forwarded.filter((entry) => entry.path === '/twilio/conversations');
        assert.ok(
          new Set(both.map((entry) => entry.target)).size === 2 && both.every((entry) => entry.status === 200),
          'both instances answered every webhook',
        );
      } finally {
        cluster.balancer.routeWebhooks('round-robin');
      }
    });

    test('web chat: the visitor is on A, the reply webhook reaches B, the visitor gets it; the transcript is shared', async () => {
      const visitorTab = await WebchatClient.open(a.url);
      const hello = await visitorTab.hello();
      visitorTab.send({ type: 'message', id: 'webchat-msg-1', text: 'hi from the web', name: 'Web Visitor' });
      const ack = await visitorTab.next('ack', (frame) => frame.id === 'webchat-msg-1');
      assert.equal(ack.status, 'accepted');
      const ownEvent = visitorTab.frames.findIndex((frame) => frame.type === 'event' && frame.seq === ack.seq);
      assert.ok(ownEvent >= 0 && ownEvent < visitorTab.frames.indexOf(ack), 'the event came before its ack');

      const otherTab = await WebchatClient.open(b.url);
      const other = await otherTab.hello({ token: hello.welcome.token, epoch: hello.welcome.epoch });
      assert.equal(other.welcome.epoch, hello.welcome.epoch, 'one log for every instance');
      assert.deepEqual(
        other.events.map((frame) => frame.seq),
        [ack.seq],
        "B has A's transcript",
      );

      const task = await taskOf('Web Visitor');
      await cluster.control.accept(task.sid);
      await cluster.sandbox.idle();
      cluster.balancer.routeWebhooks(1);
      const forwardedBefore = cluster.balancer.forwarded.length;
      try {
        await cluster.control.reply(task.sid, 'hello from the agent');
        const reply = await visitorTab.next('event', (frame) => frame.event.kind === 'agent-message');
        assert.deepEqual([reply.seq, 'text' in reply.event && reply.event.text], [ack.seq + 1, 'hello from the agent']);
        await otherTab.next('event', (frame) => frame.seq === ack.seq + 1);
        assert.ok(
          cluster.balancer.forwarded.slice(forwardedBefore).every((entry) => entry.path !== '/twilio/conversations' || entry.target === b.url),
          'no webhook of this chat went to A',
        );

        // A message typed in the tab on B reaches the tab on A.
        otherTab.send({ type: 'message', id: 'webchat-msg-2', text: 'from the other tab', name: 'Web Visitor' });
        const second = await otherTab.next('ack', (frame) => frame.id === 'webchat-msg-2');
        await visitorTab.next('event', (frame) => frame.seq === second.seq && frame.event.kind === 'visitor-message');

        // Reconnecting to B after a drop catches up from the shared log.
        await visitorTab.close();
        await cluster.control.reply(task.sid, 'while you were away');
        await otherTab.next('event', (frame) => 'text' in frame.event && frame.event.text === 'while you were away');
        const back = await WebchatClient.open(b.url);
        const caughtUp = await back.hello({ token: hello.welcome.token, epoch: hello.welcome.epoch, after: second.seq });
        assert.deepEqual(
          caughtUp.events.map((frame) => ['text' in frame.event && frame.event.text, frame.seq]),
          [['while you were away', second.seq + 1]],
        );
        await Promise.all([otherTab.close(), back.close()]);
      } finally {
        cluster.balancer.routeWebhooks('round-robin');
      }
    });
  });
}
