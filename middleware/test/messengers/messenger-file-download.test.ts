import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAttachment } from '../../src/media/safe-download.js';
import { FailureError } from '../../src/outbox/failure.js';

const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
const server = createServer((request, response) => {
  seen.push({ url: request.url ?? '', headers: request.headers });
  if (request.url === '/away') {
    response.writeHead(302, { location: `http://localhost:${port}/elsewhere` }).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.alloc(10));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const channel = {
  media: { accept: ['image/jpeg'], maxBytes: 1000 },
  mediaFetch: { allowHttp: true, allowHosts: new Set(['127.0.0.1', 'localhost']) },
};
const path = () => join(mkdtempSync(join(tmpdir(), 'cc-platform-file-')), 'file');
const platformFile = (url: string) => ({
  url,
  channel,
  path: path(),
  onlyOrigin: `http://127.0.0.1:${port}`,
  headers: { authorization: 'Bearer platform-token' },
});

test("a platform's file is fetched with its credentials from the platform's host", async () => {
  const file = await downloadAttachment(platformFile(`http://127.0.0.1:${port}/content`));
  assert.equal(file.size, 10);
  assert.equal(seen.at(-1)!.headers.authorization, 'Bearer platform-token');
});

test("a platform's file that redirects to another host is refused before the credentials go there", async () => {
  seen.length = 0;
  await assert.rejects(downloadAttachment(platformFile(`http://127.0.0.1:${port}/away`)), (error: unknown) => {
    assert.ok(error instanceof FailureError);
    assert.equal(error.failure.kind, 'permanent');
    assert.equal(error.failure.reason, "redirect 1 of the attachment URL is not at the platform's file host");
    return true;
  });
  assert.deepEqual(
    seen.map((request) => request.url),
    ['/away'],
    'the other host was never asked',
  );
  const followed = await downloadAttachment({ url: `http://127.0.0.1:${port}/away`, channel, path: path() });
  assert.equal(followed.size, 10, 'an ordinary attachment may follow the same redirect');
});
