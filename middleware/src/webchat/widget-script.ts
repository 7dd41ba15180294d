import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_DIR } from '../config/load-config.js';

/** The widget's TypeScript source, and the script `npm run build` bundles from it for `npm start`. */
const WIDGET_ENTRY = join(PACKAGE_DIR, 'webchat-widget', 'src', 'main.ts');
export const WIDGET_BUNDLE = join(PACKAGE_DIR, 'build', 'webchat', 'widget.js');

/** One classic script for browsers: the widget's modules and the protocol's limits, nothing else. */
export async function bundleWidget(): Promise<string> {
  const { build } = await import('esbuild');
  const { outputFiles } = await build({
    entryPoints: [WIDGET_ENTRY],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const [script] = outputFiles;
  if (!script) throw new Error('esbuild produced no widget script');
  return script.text;
}

let bundledFromSource: Promise<string> | undefined;

/**
 * widget.js. Run from its TypeScript source (the demo, the tests, `npm run middleware`), the
 * middleware bundles the widget once per process, so it is never stale; compiled (`npm start`),
 * it serves the bundle `npm run build` made.
 */
export function widgetScript(): Promise<string | Buffer> {
  if (import.meta.url.endsWith('.ts')) return (bundledFromSource ??= bundleWidget());
  return readFile(WIDGET_BUNDLE).catch((error: unknown) => {
    throw new Error(`the web chat widget is not built (${WIDGET_BUNDLE}): run npm run build -w middleware`, { cause: error });
  });
}
