/**
 * The web chat endpoint against hostile clients: a socket that stops reading, too many
 * sockets, a visitor sending too much, a page of another origin, malformed frames.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as connectTcp } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket, { type WebSocketServer } from 'ws';
import type { ChannelRuntime } from '../../src/config/channels.js';
import type { InboundService } from '../../src/inbound/inbound-service.js';
import { createLogHasher } from '../../src/observability/log-hash.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ServerFrame } from '../../src/webchat/protocol.js';
import { openWebchat, type Webchat } from '../../src/webchat/webchat.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { webchatRoutes } from '../../src/webchat/webchat-routes.js';
import { DEFAULT_WEBCHAT_SETTINGS, type WebchatSettings } from '../../src/webchat/webchat-settings.js';
import { eventually } from '@custom-channels/test-kit/poll';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';

const channel = { channelType: 'webchat', displayName: 'Web chat', adapter: 'webchat', maxMessageLength: 32_768 } as ChannelRuntime;

interface Server {
  url: string;
  app: FastifyInstance;
  /** The server side of every web chat socket. */
  sockets: WebSocketServer;
  webchat: Webchat;
  store: Store;
  logs: Array<Record<string, unknown>>;
  accepted: string[];
}

const servers: Server[] = [];
after(async () => {
  for (const server of servers) {
    await server.app.close();
    await server.store.close();
  }
});

/** The web chat routes alone, with an inbound service that stores ids in memory. */
async function startServer(settings: Partial<WebchatSettings> = {}): Promise<Server> {
  const store = openSqliteStore({ path: ':memory:' });
  const webchat = await openWebchat({ transcripts: store.transcripts, identitySecret: 'identity-secret-0123456789' });
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const accepted: string[] = [];
  const inbound = {
    accept: async (_channel: ChannelRuntime, message: { id: string }) => {
      if (accepted.includes(message.id)) return 'duplicate';
      accepted.push(message.id);
      return 'accepted';
    },
  } as unknown as InboundService;
  const app = Fastify();
  let sockets: WebSocketServer | undefined;
  await app.register(async (instance) => {
    await webchatRoutes(instance, {
      webchat,
      channels: new Map([[channel.channelType, channel]]),
      inbound,
      acceptRead: () => undefined,
      hashForLog: createLogHasher('k'.repeat(32)),
      logger,
      settings: { ...DEFAULT_WEBCHAT_SETTINGS, ...settings },
      publicBaseUrl: 'https://cc.example.com',
    });
    sockets = instance.websocketServer;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const server = { url: `http://127.0.0.1:${port}`, app, sockets: sockets!, webchat, store, logs, accepted };
  servers.push(server);
  return server;
}

function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
}

async function openSocket(server: Server, headers: Record<string, string> = {}): Promise<WebchatClient> {
  const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/webchat/ws`, { headers });
  const client = new (WebchatClient as unknown as new (socket: WebSocket) => WebchatClient)(socket);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return client;
}

describe('web chat limits', () => {
  test('a socket that stops reading is sent about its buffer of history, no more, and is dropped', { timeout: 30_000 }, async () => {
    const sendBufferBytes = 64 * 1024;
    const server = await startServer({ sendBufferBytes, stalledSocketMs: 500 });
    const first = await WebchatClient.open(server.url);
    const { welcome } = await first.hello();
    await first.close();
    // 40 MB of history: far more than the kernel buffers between two loopback sockets hold.
    const text = 'x'.repeat(64 * 1024);
    for (let seq = 1; seq <= 600; seq += 1) {
      await server.webchat.log.append('webchat', welcome.visitorId, `agent:${seq}`, { kind: 'agent-message', id: `m${seq}`, text, at: 0 });
    }

    let mostBuffered = 0;
    server.sockets.on('connection', (socket: WebSocket) => {
      const send = socket.send.bind(socket);
      socket.send = ((...args: Parameters<WebSocket['send']>) => {
        send(...args);
        mostBuffered = Math.max(mostBuffered, socket.bufferedAmount);
      }) as WebSocket['send'];
    });
    const hostile = await WebchatClient.open(server.url);
    hostile.send({ type: 'hello', channel: 'webchat', token: welcome.token, epoch: welcome.epoch, after: 1 });
    hostile.socket.pause();
    await eventually(() => server.webchat.connections.size === 0 && server.sockets.clients.size === 0, 'the socket dropped');
    const frameBytes = JSON.stringify({ type: 'event', seq: 600, event: { kind: 'agent-message', id: 'm600', text, at: 0 } }).length;
    assert.ok(mostBuffered <= sendBufferBytes + frameBytes, `at most ${sendBufferBytes + frameBytes} bytes waited in the buffer, not ${mostBuffered}`);
    hostile.socket.terminate();
  });

  test('one socket more than a visitor may open is closed with 1013, after an error frame', { timeout: 30_000 }, async () => {
    const server = await startServer({ maxSocketsPerVisitor: 2 });
    const one = await WebchatClient.open(server.url);
    const { welcome } = await one.hello();
    const two = await WebchatClient.open(server.url);
    await two.hello({ token: welcome.token, epoch: welcome.epoch });
    const three = await WebchatClient.open(server.url);
    const closed = closeOf(three.socket);
    three.send({ type: 'hello', channel: 'webchat', token: welcome.token, epoch: welcome.epoch });
    assert.deepEqual(await closed, { code: 1013, reason: 'too many connections for this visitor' });
    assert.equal(three.frames.find((frame) => frame.type === 'error')?.code, 'too_many_connections');
    assert.equal(
      three.frames.some((frame) => frame.type === 'welcome'),
      false,
    );
    await two.close();
    const again = await WebchatClient.open(server.url);
    assert.equal((await again.hello({ token: welcome.token, epoch: welcome.epoch })).welcome.visitorId, welcome.visitorId, 'room again once one closed');
    for (const client of [one, again]) await client.close();
  });

  test('one socket more than the instance takes is closed with 1013', { timeout: 30_000 }, async () => {
    const server = await startServer({ maxSockets: 2 });
    const open = [await WebchatClient.open(server.url), await WebchatClient.open(server.url)];
    const refused = await WebchatClient.open(server.url);
    assert.deepEqual(await closeOf(refused.socket), { code: 1013, reason: 'too many connections; try again later' });
    await open[0]!.close();
    await eventually(async () => {
      const next = await WebchatClient.open(server.url);
      const result = await Promise.race([next.hello().then(() => true), closeOf(next.socket).then(() => false)]);
      await next.close();
      return result;
    }, 'a socket taken once another closed');
    await open[1]!.close();
  });

  test('a visitor sending more bytes per hour than allowed gets an error frame for the message, which is not stored', { timeout: 30_000 }, async () => {
    const server = await startServer({ visitorBytesPerHour: 1000 });
    const client = await WebchatClient.open(server.url);
    const { welcome } = await client.hello();
    const text = 'y'.repeat(600);
    client.send({ type: 'message', id: 'quota-0001', text, name: 'Ann' });
    assert.equal((await client.next('ack', (frame) => frame.id === 'quota-0001')).status, 'accepted');
    client.send({ type: 'message', id: 'quota-0002', text, name: 'Ann' });
    const error = await client.next('error', (frame) => frame.id === 'quota-0002');
    assert.equal(error.code, 'quota_exceeded');
    assert.ok(error.retryAfterSeconds! > 0 && error.retryAfterSeconds! <= 3600);
    // A resend of a stored message is acknowledged again: it stores nothing new.
    client.send({ type: 'message', id: 'quota-0001', text, name: 'Ann' });
    assert.equal((await client.next('ack', (frame) => frame.id === 'quota-0001' && frame.status === 'duplicate')).seq, 1);
    assert.deepEqual(server.accepted, [`${welcome.visitorId}.quota-0001`]);
    assert.deepEqual(
      (await server.webchat.log.read('webchat', welcome.visitorId, 0, 10)).map((entry) => entry.seq),
      [1],
    );
    await client.close();
  });

  test(
    'a page of an origin not allowed is closed with 1008; its own origin, allowed ones and non-browser clients are served',
    { timeout: 30_000 },
    async () => {
      const server = await startServer({ allowedOrigins: ['https://www.example.com'] });
      const refused = await openSocket(server, { origin: 'https://evil.example' });
      assert.deepEqual(await closeOf(refused.socket), { code: 1008, reason: 'origin not allowed' });
      const host = new URL(server.url).host;
      for (const origin of [`http://${host}`, 'https://cc.example.com', 'https://www.example.com', undefined]) {
        const client = await openSocket(server, origin ? { origin } : {});
        assert.equal((await client.hello()).welcome.type, 'welcome', String(origin));
        await client.close();
      }
      assert.equal(server.logs.filter((line) => String(line.msg).includes('WEBCHAT_ALLOWED_ORIGINS')).length, 1);
    },
  );

  test('malformed frames and upgrades are logged once per window, as a warning without a stack', { timeout: 30_000 }, async () => {
    const server = await startServer();
    const { port } = new URL(server.url);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const raw = connectTcp(Number(port), '127.0.0.1');
      const answered = new Promise<string>((resolve) => raw.once('data', (data) => resolve(String(data))));
      raw.write(
        'GET /webchat/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      assert.match(await answered, /^HTTP\/1.1 101/);
      const closed = new Promise((resolve) => raw.once('close', resolve));
      raw.write(Buffer.from([0x81, 0x02, 0x68, 0x69])); // a text frame without the mask a client must set
      await closed;
    }
    // Broken handshakes: answered 400 by the socket server, nothing logged above a warning.
    const upgrade = 'GET /webchat/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n';
    for (const request of [
      `${upgrade}Sec-WebSocket-Version: 13\r\n\r\n`,
      `${upgrade}Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      `${upgrade}Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n`,
      `${upgrade}Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; x=\u0001\r\n\r\n`,
    ]) {
      const raw = connectTcp(Number(port), '127.0.0.1');
      const answered = new Promise<string>((resolve) => raw.once('data', (data) => resolve(String(data))));
      raw.write(request);
      assert.match(await answered, /^HTTP\/1.1 4\d\d/);
      raw.destroy();
    }
    await eventually(() => server.sockets.clients.size === 0, 'the sockets closed');
    const about = server.logs.filter((line) => String(line.msg).includes('socket error'));
    assert.equal(about.length, 1, JSON.stringify(about));
    assert.equal(about[0]!.level, 40);
    assert.equal(JSON.stringify(about[0]).includes('stack'), false);
    assert.equal(
      server.logs.some((line) => (line.level as number) >= 50),
      false,
    );
  });
});

export type { ServerFrame };
