import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCES = fileURLToPath(new URL('./', import.meta.url));
/** Every folder the page's code comes from. */
const PAGE_SOURCES = [SOURCES, fileURLToPath(new URL('../agent-flex/', import.meta.url))];
const CACHE = fileURLToPath(new URL('../../.cache/flex-preview/', import.meta.url));
export const PLUGIN_BUNDLE = join(ROOT, 'build/plugin-custom-channels.js');

/**
 * The environment of `flex-plugin build` inside the demo: PERSIST_TERMINAL keeps it from
 * clearing the terminal (and the demo's output before it); without npm's lifecycle event
 * "build" it does not print its "npm run deploy" hint, which is not the demo's next step.
 */
export function pluginBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { npm_lifecycle_event: _lifecycle, ...rest } = env;
  return { ...rest, PERSIST_TERMINAL: 'true' };
}

/** Builds the plugin (`flex-plugin build` at the root, as npm run build) unless its bundle is there and newer than the channels it registers. */
export function ensurePluginBuild(): string {
  const current = existsSync(PLUGIN_BUNDLE) && statSync(PLUGIN_BUNDLE).mtimeMs >= statSync(join(ROOT, 'channels.json')).mtimeMs;
  if (!current) {
    execFileSync(join(ROOT, 'node_modules/.bin/flex-plugin'), ['build'], { cwd: ROOT, stdio: 'inherit', env: pluginBuildEnv(process.env) });
  }
  return PLUGIN_BUNDLE;
}

/** Builds under way in this process, by file name: one build each. */
const building = new Map<string, Promise<string>>();

/**
 * Bundles the page (the preview and the agent view) with the real Flex UI (some seconds),
 * once per change of its sources, the channels or the installed Flex UI: the result is cached.
 */
export function buildFlexPage(): Promise<string> {
  const name = `page-${sourcesHash()}.js`;
  const outfile = join(CACHE, name);
  if (existsSync(outfile)) return Promise.resolve(outfile);
  let pending = building.get(name);
  if (!pending) {
    pending = bundle(name, outfile).finally(() => building.delete(name));
    building.set(name, pending);
  }
  return pending;
}

async function bundle(name: string, outfile: string): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  // Test files run side by side may build at once: each writes its own file, then renames it
  // into place, so no one reads a half-written bundle.
  const partial = join(CACHE, `.${name}.${process.pid}`);
  await build({
    entryPoints: [join(SOURCES, 'page.ts')],
    outfile: partial,
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    minify: true,
    logLevel: 'warning',
    define: { global: 'window', 'process.env.NODE_ENV': '"production"' },
    // Flex's dependencies read process (a Node global) when they load.
    banner: { js: 'var process = { env: { NODE_ENV: "production" }, browser: true };' },
  });
  renameSync(partial, outfile);
  // Only the current build is kept.
  for (const stale of readdirSync(CACHE).filter((file) => file.startsWith('page-') && file !== name)) rmSync(join(CACHE, stale), { force: true });
  return outfile;
}

function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const folder of PAGE_SOURCES) {
    for (const file of readdirSync(folder)
      .filter((name) => name.endsWith('.ts'))
      .sort()) {
      hash.update(readFileSync(join(folder, file)));
    }
  }
  hash.update(readFileSync(join(ROOT, 'channels.json')));
  const require = createRequire(import.meta.url);
  hash.update(readFileSync(require.resolve('@twilio/flex-ui/package.json')));
  return hash.digest('hex').slice(0, 16);
}
