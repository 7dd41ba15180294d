import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import type { Demo } from '../src/demo.js';
import { startTestDemo } from './test-demo.js';
import { createVisitorTokens } from '@custom-channels/middleware/webchat/visitor-token';
import { openSqliteStore } from '@custom-channels/middleware/store/sqlite/sqlite-store';
import { eventually } from '@custom-channels/test-kit/poll';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';

describe('web chat over WebSocket', () => {
  let demo: Demo;
  let dir: string;
  let control: SandboxControl;
  const clients: WebchatClient[] = [];
  const connect = async () => {
    const client = await WebchatClient.open(demo.urls.middleware);
    clients.push(client);
    return client;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-webchat-'));
    demo = await startTestDemo(dir);
    control = new SandboxControl(demo.urls.sandbox);
  });

  after(async () => {
    for (const client of clients) await client.close();
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every bad frame gets an error frame naming the field, and the socket keeps working', async () => {
    const client = await connect();
    const cases: Array<[unknown, string, string | undefined]> = [
      ['not json', 'invalid_json', undefined],
      [{}, 'invalid_frame', '/type'],
      [[1, 2], 'invalid_frame', '/'],
      [{ type: 'shout' }, 'invalid_frame', '/type'],
      [{ type: 'message', id: 'abcdefgh1', text: 'hi', name: 'Ada' }, 'hello_first', '/type'],
      [{ type: 'hello' }, 'invalid_frame', '/channel'],
      [{ type: 'hello', channel: 'webchat', after: -1 }, 'invalid_frame', '/after'],
      [{ type: 'hello', channel: 'webchat', admin: true }, 'invalid_frame', '/admin'],
    ];
    for (const [frame, code, field] of cases) {
      const from = client.frames.length;
      client.send(frame);
      const error = await client.next('error', () => true, from);
      assert.equal(error.code, code, JSON.stringify(frame));
      assert.equal(error.field, field, JSON.stringify(frame));
    }
    await client.hello();
    const messageCases: Array<[Record<string, unknown>, string]> = [
      [{ id: 'abcdefgh1', text: '   ', name: 'Ada' }, '/text'],
      [{ id: 'abcdefgh1', text: 'x'.repeat(32_769), name: 'Ada' }, '/text'],
      [{ id: 'abcdefgh1', text: 'hi', name: '' }, '/name'],
      [{ id: 'short', text: 'hi', name: 'Ada' }, '/id'],
      [{ id: 'abcdefgh1', text: 'hi' }, '/name'],
      [{ id: 'abcdefgh1', text: 'hi', name: 'Ada', html: '<b>' }, '/html'],
    ];
    for (const [frame, field] of messageCases) {
      const from = client.frames.length;
      client.send({ type: 'message', ...frame });
      const error = await client.next('error', () => true, from);
      assert.equal(error.field, field);
    }
    let from = client.frames.length;
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await client.next('error', () => true, from)).code, 'invalid_frame');
    from = client.frames.length;
    client.send({ type: 'hello', channel: 'webchat' });
    assert.equal((await client.next('error', () => true, from)).code, 'already_started');
    from = client.frames.length;
    client.send({ type: 'ping' });
    await client.next('pong', () => true, from);
    assert.equal(client.socket.readyState, WebSocket.OPEN);
  });

  test('a channel that is not a web chat is refused and the socket closed', async () => {
    for (const channel of ['chatapp', 'nope']) {
      const client = await connect();
      const closed = new Promise<number>((resolve) => client.socket.once('close', resolve));
      client.send({ type: 'hello', channel });
      const error = await client.next('error');
      assert.equal(error.code, 'unknown_channel');
      assert.equal(error.field, '/channel');
      assert.equal(await closed, 1008);
    }
  });

  test('a visitor id is only trusted with its signed token', async () => {
    const first = await connect();
    const { welcome } = await first.hello();
    assert.match(welcome.visitorId, /^v_[A-Za-z0-9_-]{22}$/);
    assert.equal(welcome.reset, false);

    const again = await connect();
    const back = await again.hello({ token: welcome.token });
    assert.equal(back.welcome.visitorId, welcome.visitorId);
    assert.equal(back.welcome.reset, false);

    const [, issuedAt, signature] = welcome.token.split('.');
    for (const forged of [
      `v_AAAAAAAAAAAAAAAAAAAAAA.${issuedAt}.${signature}`,
      `${welcome.visitorId}.${Number(issuedAt) - 1}.${signature}`,
      welcome.visitorId,
      'x.y.z',
    ]) {
      const client = await connect();
      const result = await client.hello({ token: forged });
      assert.notEqual(result.welcome.visitorId, welcome.visitorId, forged);
      assert.notEqual(result.welcome.visitorId, 'v_AAAAAAAAAAAAAAAAAAAAAA');
      assert.equal(result.welcome.reset, true);
    }
  });

  test('a message is acknowledged once persisted; a resend of the same id is not posted twice', async () => {
    const client = await connect();
    const { welcome } = await client.hello();
    client.send({ type: 'message', id: 'resend-0001', text: 'only once', name: 'Grace' });
    const ack = await client.next('ack', (frame) => frame.id === 'resend-0001');
    assert.equal(ack.status, 'accepted');
    const from = client.frames.length;
    client.send({ type: 'message', id: 'resend-0001', text: 'only once', name: 'Grace' });
    const again = await client.next('ack', (frame) => frame.id === 'resend-0001', from);
    assert.equal(again.status, 'duplicate');
    assert.equal(again.seq, ack.seq);

    const task = await eventually(async () => (await control.tasks()).find((t) => t.attributes.name === 'Grace'), 'the task');
    assert.equal(task.attributes.customChannelType, 'webchat');
    assert.notEqual(task.attributes.name, welcome.visitorId);
    const { messages } = (await (await fetch(`${demo.urls.sandbox}/sandbox/tasks/${task.sid}/messages`)).json()) as {
      messages: Array<{ body: string; author: string }>;
    };
    assert.deepEqual(
      messages.map((m) => m.body),
      ['only once'],
    );
    assert.ok(!messages[0]!.author.includes(welcome.visitorId), 'the Twilio identity is not the visitor id');
  });

  test('events missed while disconnected arrive on reconnect, in order, once', async () => {
    const client = await connect();
    const { welcome } = await client.hello();
    client.send({ type: 'message', id: 'catchup-001', text: 'hello', name: 'Linus' });
    const ack = await client.next('ack');
    const task = await eventually(async () => (await control.tasks()).find((t) => t.attributes.name === 'Linus'), 'the task');
    await control.accept(task.sid);
    await control.reply(task.sid, 'reply one');
    const one = await client.next('event', (frame) => frame.event.kind === 'agent-message');
    assert.equal(one.seq, ack.seq + 1);
    await client.close();

    await control.reply(task.sid, 'reply two');
    await control.reply(task.sid, 'reply three');
    await control.complete(task.sid);

    // Wait until all three are logged (delivered) while nobody is connected.
    const store = openSqliteStore({ path: demo.databasePath });
    try {
      await eventually(async () => (await store.transcripts.read('webchat', welcome.visitorId, one.seq, 10)).length === 3, 'the missed events logged');
    } finally {
      await store.close();
    }

    const back = await connect();
    const caughtUp = await back.hello({ token: welcome.token, after: one.seq, epoch: welcome.epoch });
    assert.deepEqual(
      caughtUp.events.map((frame) => [frame.seq, frame.event.kind, 'text' in frame.event ? frame.event.text : null]),
      [
        [one.seq + 1, 'agent-message', 'reply two'],
        [one.seq + 2, 'agent-message', 'reply three'],
        [one.seq + 3, 'ended', null],
      ],
    );
    assert.equal(caughtUp.synced.seq, one.seq + 3);

    // A new page (after 0) gets the whole transcript; numbers from another log start over.
    const page = await connect();
    const all = await page.hello({ token: welcome.token });
    assert.deepEqual(
      all.events.map((frame) => frame.seq),
      [1, 2, 3, 4, 5],
    );
    const stale = await connect();
    const other = await stale.hello({ token: welcome.token, after: 99, epoch: 'another-log' });
    assert.equal(other.welcome.reset, true);
    assert.equal(other.events.length, 5);
  });
});

describe('web chat parts', () => {
  test('tokens: bound to their channel, refused once expired', () => {
    let now = Date.UTC(2026, 0, 1);
    const tokens = createVisitorTokens({
      keyFor: (channel) => `key-of-${channel}-0123456789`,
      maxAgeMs: 1000 * 3600,
      now: () => now,
    });
    const { visitorId, token } = tokens.issue('webchat');
    assert.equal(tokens.verify('webchat', token), visitorId);
    assert.equal(tokens.verify('otherchat', token), undefined);
    now += 2 * 3600 * 1000;
    assert.equal(tokens.verify('webchat', token), undefined);
    assert.equal(tokens.verify('webchat', tokens.renew('webchat', visitorId)), visitorId);
  });

  test('the log numbers each visitor 1, 2, 3, keeps an event once per key, and pruning keeps the numbering', async () => {
    let now = 1000;
    const store = openSqliteStore({ path: ':memory:', now: () => now });
    const log = store.transcripts;
    const message = (id: string) => ({ kind: 'agent-message' as const, id, text: id, at: now });
    assert.equal((await log.append('webchat', 'v_a', 'agent:1', message('1'))).seq, 1);
    assert.equal((await log.append('webchat', 'v_b', 'agent:x', message('x'))).seq, 1);
    assert.equal((await log.append('webchat', 'v_a', 'agent:2', message('2'))).seq, 2);
    const again = await log.append('webchat', 'v_a', 'agent:1', message('1'));
    assert.deepEqual([again.seq, again.created], [1, false]);
    now = 5000;
    assert.equal(await log.prune(4000), 3); // every old event; each visitor's last number stays
    assert.equal((await log.append('webchat', 'v_a', 'agent:3', message('3'))).seq, 3);
    assert.deepEqual(
      (await log.read('webchat', 'v_a', 0, 10)).map((entry) => entry.seq),
      [3],
    );
    await store.close();
  });
});
