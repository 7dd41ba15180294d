/**
 * `npm run preview`: the real Flex components with the built plugin, for example tasks of
 * every configured channel in every status, in your browser. No middleware, no stand-in.
 * DEMO_PREVIEW_PORT (3002), DEMO_HOST (127.0.0.1). Each reload of the page picks up a
 * rebuilt plugin (`npm run build`) and an edited channels.json.
 */
import Fastify from 'fastify';
import { listening, PortInUseError } from '@custom-channels/middleware';
import { safeErrorMessage } from '@custom-channels/logging';
import { previewFiles, type PageFile } from './preview.js';

const host = process.env.DEMO_HOST || '127.0.0.1';
const portSetting = process.env.DEMO_PREVIEW_PORT || '3002';
if (!/^\d{1,5}$/.test(portSetting) || Number(portSetting) > 65535) {
  process.stderr.write(`DEMO_PREVIEW_PORT must be a port number (0 for any free port), got "${portSetting}"\n`);
  process.exit(1);
}

let files: Record<string, PageFile> = await previewFiles();
const app = Fastify({ logger: false });
app.get('/*', async (request, reply) => {
  const path = request.url.split('?')[0] ?? '/';
  // A reload of the page rebuilds the bundle if channels.json or the page changed (cached otherwise).
  if (path === '/') files = await previewFiles();
  const file = files[path];
  if (!file) return reply.code(404).send({ error: { code: 'not_found', message: `no file ${path}` } });
  return reply.type(file.contentType).header('cache-control', 'no-cache').send(file.body);
});

try {
  await listening('preview', Number(portSetting), 'DEMO_PREVIEW_PORT', (port) => app.listen({ host, port }));
} catch (error) {
  process.stderr.write(`The preview could not start: ${error instanceof PortInUseError ? error.message : safeErrorMessage(error)}\n`);
  process.exit(1);
}
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : Number(portSetting);
process.stdout.write(
  `Custom channels in the real Flex UI: http://${host}:${port}/\nAfter editing channels.json: npm run build, then reload the page. Ctrl-C stops.\n`,
);
process.once('SIGINT', () => void app.close().then(() => process.exit(0)));
