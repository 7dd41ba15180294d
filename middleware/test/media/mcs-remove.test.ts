/** The MCS client's DELETE: true when deleted, false when Twilio no longer had the file, a retryable error otherwise. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { createMcsClient } from '../../src/flex/mcs-client.js';
import { FailureError } from '../../src/outbox/failure.js';

const seen: string[] = [];
const answers: Record<string, number> = { ME1: 204, ME2: 404, ME3: 503 };
const server = createServer((request, response) => {
  seen.push(`${request.method} ${request.url} ${request.headers.authorization?.split(' ')[0]}`);
  const sid = request.url!.split('/').pop()!;
  response.writeHead(answers[sid] ?? 500, { 'retry-after': '7' }).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('remove deletes a Media resource with credentials', async () => {
  const { port } = server.address() as AddressInfo;
  const mcs = createMcsClient({ accountSid: 'AC1', authToken: 'token', apiBaseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
  assert.equal(await mcs.remove('IS1', 'ME1'), true);
  assert.equal(await mcs.remove('IS1', 'ME2'), false);
  await assert.rejects(mcs.remove('IS1', 'ME3'), (error: unknown) => error instanceof FailureError && error.failure.kind !== 'permanent');
  assert.deepEqual(seen, [
    'DELETE /mcs/v1/Services/IS1/Media/ME1 Basic',
    'DELETE /mcs/v1/Services/IS1/Media/ME2 Basic',
    'DELETE /mcs/v1/Services/IS1/Media/ME3 Basic',
  ]);
});
