/**
 * Clients that send a request slowly are cut: headers not finished, or a body that stops
 * coming, get 408 and the connection is closed. A web chat socket, once upgraded, is not an
 * HTTP request any more and stays open through them. Small timeouts make this quick; the
 * test waits for the server's answers, not for the clock.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startHarness } from '@custom-channels/test-kit/harness';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';

const harness = await startHarness({
  routing: 'interactions',
  env: { HTTP_HEADERS_TIMEOUT_MS: '200', HTTP_REQUEST_TIMEOUT_MS: '300', HTTP_IDLE_TIMEOUT_MS: '1000' },
});
after(() => harness.stop());

/** Writes `sent` on a fresh connection and resolves with everything received until the server closes it. */
function sendAndAwaitClose(sent: string): Promise<string> {
  const { port } = new URL(harness.middleware.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(sent));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

const slowBody = 'POST /inbound/chatapp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"id":';

test('a body that stops coming is answered 408 and its connection closed', { timeout: 20_000 }, async () => {
  assert.match(await sendAndAwaitClose(slowBody), /^HTTP\/1\.1 408 /);
});

test('headers that are never finished are answered 408 and the connection closed', { timeout: 20_000 }, async () => {
  assert.match(await sendAndAwaitClose('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '), /^HTTP\/1\.1 408 /);
});

test('a web chat socket outlives the request and idle timeouts', { timeout: 20_000 }, async () => {
  const client = await WebchatClient.open(harness.middleware.url);
  try {
    // Each slow request is cut only once its 300 ms have passed: after four in a row the
    // socket has been idle past the request timeout and the 1 s idle timeout.
    for (let round = 0; round < 4; round += 1) assert.match(await sendAndAwaitClose(slowBody), /^HTTP\/1\.1 408 /);
    assert.equal(client.socket.readyState, client.socket.OPEN);
    const { welcome } = await client.hello();
    assert.equal(welcome.type, 'welcome');
  } finally {
    await client.close();
  }
});
