import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestDemo } from './test-demo.js';

/** A socket as a browser leaves it: one answered keep-alive request, then idle. */
async function idleKeepAlive(pageUrl: string): Promise<Socket> {
  const url = new URL(pageUrl);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((answered, fail) => {
    socket.once('error', fail);
    socket.once('data', () => answered());
    socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`);
  });
  return socket;
}

/** A socket a browser opens ahead of its next request and sends nothing on. */
async function preconnected(pageUrl: string): Promise<Socket> {
  const url = new URL(pageUrl);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((open, fail) => socket.once('error', fail).once('connect', open));
  return socket;
}

test('the demo stops while a browser holds idle connections to every page it serves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-demo-stop-'));
  const demo = await startTestDemo(dir);
  const sockets: Socket[] = [];
  try {
    for (const url of Object.values(demo.urls)) sockets.push(await idleKeepAlive(url), await preconnected(url));
    // Only a guard so a regression fails the test instead of hanging it.
    let guard: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      demo.stop().then(() => 'stopped'),
      new Promise((hung) => (guard = setTimeout(() => hung('still running after 10 s'), 10_000))),
    ]);
    clearTimeout(guard);
    assert.equal(stopped, 'stopped');
  } finally {
    for (const socket of sockets) socket.destroy();
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
