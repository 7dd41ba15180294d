import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { PACKAGE_DIR } from '../src/config/load-config.js';
import { signInboundRequest } from '../src/security/hub-signature.js';
import { startSandbox } from '@custom-channels/twilio-sandbox';
import { execForm, parseCopy, parseEnv, readDockerfile, type DockerStage } from '@custom-channels/test-kit/dockerfile';
import { freePort } from '@custom-channels/test-kit/free-port';
import { middlewareEnvironment } from '@custom-channels/test-kit/middleware-env';
import { startMiddlewareProcess } from '@custom-channels/test-kit/middleware-process';
import { eventually } from '@custom-channels/test-kit/poll';
import { buildMiddleware, productionCommand } from '@custom-channels/test-kit/production-command';
import { startReceiver } from '@custom-channels/test-kit/receiver';
import { SandboxControl } from '@custom-channels/test-kit/sandbox-control';

// The image's steps without a container engine (none runs here): the build stage is this
// repository's own build; the production-deps stage runs in a clean folder; the final stage's
// files are copied as its COPY lines say, and its CMD and HEALTHCHECK run there.
const REPO_DIR = dirname(PACKAGE_DIR);
const SECRET = 'chatapp-secret-for-the-image-test-1';

/** Where a stage's absolute paths land here. */
type Folders = Record<string, { root: string; workdir: string }>;

function localPath(folders: Folders, stage: string, path: string): string {
  const folder = folders[stage];
  if (!folder) throw new Error(`no folder for stage ${stage}`);
  const absolute = posix.isAbsolute(path) ? path : posix.join(folder.workdir, path);
  return join(folder.root, posix.relative(folder.workdir, absolute));
}

/** Performs a stage's COPY lines into `folders[stage.name]`; its RUN lines go to `run`. */
function perform(stage: DockerStage, folders: Folders, run: (command: string) => void): Record<string, string> {
  let env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword === 'WORKDIR') assert.equal(args, folders[stage.name]!.workdir, `${stage.name}: the working directory`);
    if (keyword === 'ENV') env = { ...env, ...parseEnv(args) };
    if (keyword === 'RUN') run(args);
    if (keyword !== 'COPY') continue;
    const copy = parseCopy(args);
    const source = copy.from ? localPath(folders, copy.from, copy.source) : join(REPO_DIR, copy.source);
    const destination = localPath(
      folders,
      stage.name,
      copy.destination.endsWith('/') ? posix.join(copy.destination, posix.basename(copy.source)) : copy.destination,
    );
    mkdirSync(dirname(destination), { recursive: true });
    cpSync(source, destination, { recursive: true, verbatimSymlinks: true });
  }
  return env;
}

test('the image, without a container: production-only install, no test code, its start command, health and a message through to the stand-in', async (t) => {
  const stages = readDockerfile(join(REPO_DIR, 'Dockerfile'));
  assert.deepEqual(
    stages.map((stage) => stage.name),
    ['build', 'production-deps', '2'],
  );
  const [, deps, final] = stages as [DockerStage, DockerStage, DockerStage];
  const work = mkdtempSync(join(tmpdir(), 'cc-image-'));
  // Its node_modules alone is about 100 MB.
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const folders: Folders = {
    build: { root: REPO_DIR, workdir: '/src' },
    'production-deps': { root: join(work, 'deps'), workdir: '/app' },
    '2': { root: join(work, 'app'), workdir: '/app' },
  };

  execFileSync('npm', ['run', 'build', '--workspace', 'contract', '--workspace', 'logging'], { cwd: REPO_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
  buildMiddleware();
  perform(deps, folders, (command) => {
    // The toolchain the stage installs with apt-get is this machine's.
    if (command.startsWith('apt-get')) return;
    execFileSync('sh', ['-c', command], { cwd: folders['production-deps']!.root, stdio: ['ignore', 'ignore', 'pipe'] });
  });
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  const imageEnv = perform(final, folders, (command) =>
    assert.match(command, /^mkdir -p \/data && chown node:node \/data$/, 'the final stage runs nothing else'),
  );
  const appDir = folders['2']!.root;

  const installed = readdirSync(join(appDir, 'node_modules'));
  for (const devOnly of ['tsx', 'typescript', 'esbuild', 'react', 'json-schema-to-typescript'])
    assert.ok(!installed.includes(devOnly), `${devOnly} is not installed`);
  assert.deepEqual(readdirSync(join(appDir, 'node_modules', '@custom-channels')).sort(), ['contract', 'logging', 'middleware']);
  assert.deepEqual(readdirSync(appDir).sort(), ['channels.json', 'contract', 'logging', 'middleware', 'node_modules', 'package.json']);
  assert.deepEqual(readdirSync(join(appDir, 'middleware')).sort(), ['build', 'package.json', 'public']);
  assert.ok(!existsSync(join(appDir, 'middleware', '.env')));

  const sandbox = await startSandbox({ port: 0, logger: false });
  const receiver = await startReceiver(SECRET);
  const control = new SandboxControl(sandbox.url);
  const port = await freePort();
  const testEnv = await middlewareEnvironment({ sandbox, port, channelSecret: SECRET, deliveryUrl: receiver.url });
  const onData = (value: string) => value.replace(/^(sqlite:)?\/data(?=\/)/, (_, scheme: string | undefined) => `${scheme ?? ''}${dataDir}`);
  const env: Record<string, string> = {
    ...Object.fromEntries(Object.entries(imageEnv).map(([name, value]) => [name, onData(value)])),
    ...testEnv,
    DATABASE_URL: onData(imageEnv.DATABASE_URL!),
    PORT: String(port),
  };
  const [program, ...nodeArgs] = execForm(final.instructions.find((each) => each.keyword === 'CMD')!.args);
  assert.equal(program, 'node');
  // The image runs the middleware as `npm start` does: the same environment, node options and entry.
  const start = productionCommand();
  for (const [name, value] of Object.entries(start.env)) assert.equal(imageEnv[name], value, `the image's ENV sets ${name} as npm start does`);
  assert.deepEqual(nodeArgs, [...start.nodeOptions, posix.join('middleware', start.entry)], "the image's CMD is npm start's node command");
  const middleware = await startMiddlewareProcess(env, nodeArgs, undefined, appDir);
  let exitCode: number | null | undefined;
  try {
    const [checkProgram, ...checkArgs] = execForm(final.instructions.find((each) => each.keyword === 'HEALTHCHECK')!.args);
    assert.equal(checkProgram, 'node');
    assert.equal(spawnSync(process.execPath, checkArgs, { env: { PORT: String(port) } }).status, 0, 'the HEALTHCHECK passes');

    const body = JSON.stringify({ id: 'image-1', from: { id: 'customer-image', name: 'Ann' }, text: 'Hello from the image' });
    const answer = await fetch(`${middleware.url}/inbound/chatapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signInboundRequest(SECRET, body) },
      body,
    });
    assert.equal(answer.status, 202);
    const task = await eventually(async () => (await control.tasks()).find((candidate) => candidate.attributes.customChannelType === 'chatapp'), 'a task');
    await control.accept(task.sid);
    await control.reply(task.sid, 'Hi Ann');
    await eventually(() => receiver.received.find((delivery) => delivery.body.type === 'message'), 'the reply delivered');
    assert.ok(existsSync(join(dataDir, 'middleware.sqlite')), 'the SQLite file is on the data volume');
  } finally {
    exitCode = await middleware.stop();
    await receiver.close();
    await sandbox.close();
  }
  assert.equal(exitCode, 0, `a graceful stop exits with 0:\n${middleware.output().join('\n')}`);
});
