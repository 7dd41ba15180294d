/**
 * A channel's delivery endpoint, and the ceiling run's webhook target: answers 204 at once.
 * It runs in a process of its own so that its work lands on the load generator's core,
 * never on the core being measured (in the ceiling run, the `twilio` library's).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const SERVER = `
const server = require('node:http').createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(204).end());
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

export interface Sink {
  url: string;
  pid: number;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [port] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => [undefined])])) as [string | undefined];
  if (!port) throw new Error('the delivery sink did not start');
  lines.close();
  return {
    url: `http://127.0.0.1:${port}/deliveries`,
    pid: child.pid!,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}
