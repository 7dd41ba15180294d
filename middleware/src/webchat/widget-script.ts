import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PACKAGE_DIR } from '../config/load-config.js';

/** The widget's TypeScript source, and the script `npm run build` bundles from it for `npm start` (not in git). */
const WIDGET_ENTRY = join(PACKAGE_DIR, 'webchat-widget', 'src', 'main.ts');
export const WIDGET_BUNDLE = join(PACKAGE_DIR, 'public', 'webchat', 'widget.js');

/** One classic script for browsers, and the files it was made of (relative to the middleware's folder). */
export async function bundleWidget(): Promise<{ script: string; inputs: string[] }> {
  const { build } = await import('esbuild');
  const { outputFiles, metafile } = await build({
    entryPoints: [WIDGET_ENTRY],
    absWorkingDir: PACKAGE_DIR,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = outputFiles;
  if (!output) throw new Error('esbuild produced no widget script');
  return { script: output.text, inputs: Object.keys(metafile.inputs).map((input) => relative(PACKAGE_DIR, join(PACKAGE_DIR, input))) };
}

let bundledFromSource: Promise<string> | undefined;

/**
 * widget.js. Run from its TypeScript source (the demo, the tests, `npm run middleware`), the
 * middleware bundles the widget once per process, so it is never stale; compiled (`npm start`),
 * it serves the bundle `npm run build` made.
 */
export function widgetScript(fromSource = import.meta.url.endsWith('.ts'), bundlePath = WIDGET_BUNDLE): Promise<string | Buffer> {
  if (fromSource) return (bundledFromSource ??= bundleWidget().then(({ script }) => script));
  return readFile(bundlePath).catch((error: unknown) => {
    throw new Error(`the web chat widget is not built (${bundlePath}): run npm run build -w middleware`, { cause: error });
  });
}
