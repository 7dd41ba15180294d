/**
 * A hostile web chat client: it opens the WebSocket by hand over a raw TCP connection, sends
 * one `hello` frame, then never reads again. Whatever the middleware sends it piles up in
 * the kernel's buffers and then in the middleware's own.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface StalledSocket {
  /** Whether the middleware answered the upgrade with 101 (a refused socket is counted, not used). */
  upgraded: boolean;
  destroy(): void;
}

// A middleware busy with the sockets before may answer late: it is still an open socket.
const HANDSHAKE_TIMEOUT_MS = 60_000;

export async function openStalledSocket(middlewareUrl: string, hello: Record<string, unknown>): Promise<StalledSocket> {
  const { hostname, port, host, origin } = new URL(middlewareUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(
      [
        'GET /webchat/ws HTTP/1.1',
        `Host: ${host}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        // Any client can claim the page's origin.
        `Origin: ${origin}`,
        '',
        '',
      ].join('\r\n'),
    );
    const head = await responseHead(socket);
    const upgraded = /^HTTP\/1\.1 101 /.test(head);
    if (upgraded) socket.write(maskedTextFrame(JSON.stringify(hello)));
    // The middleware may drop the connection while nobody reads it: that is one of its answers, not a crash here.
    socket.on('error', () => undefined);
    return { upgraded, destroy: () => socket.destroy() };
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

/** Reads up to the end of the HTTP response head, then stops reading for good. */
function responseHead(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const timer = setTimeout(() => finish(new Error('no answer to the WebSocket upgrade')), HANDSHAKE_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end >= 0) finish(undefined, received.slice(0, end));
    };
    const onEnd = () => finish(new Error('the connection closed during the WebSocket upgrade'));
    function finish(error: Error | undefined, head = '') {
      clearTimeout(timer);
      socket.off('data', onData).off('end', onEnd).off('error', finish);
      socket.pause();
      if (error) reject(error);
      else resolve(head);
    }
    socket.on('data', onData).once('end', onEnd).once('error', finish);
  });
}

/** One client-to-server text frame (RFC 6455: final, opcode 1, masked), under 64 KB. */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  if (payload.length >= 65_536) throw new Error('a hello frame is a few hundred bytes');
  const length = payload.length < 126 ? [0x80 | payload.length] : [0x80 | 126, payload.length >> 8, payload.length & 0xff];
  const mask = randomBytes(4);
  const masked = payload.map((byte, index) => byte ^ mask[index % 4]!);
  return Buffer.concat([Buffer.from([0x81, ...length]), mask, masked]);
}
