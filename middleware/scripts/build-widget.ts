// Bundles the web chat widget for `npm start` (run by `npm run build`).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bundleWidget, WIDGET_BUNDLE } from '../src/webchat/widget-script.js';

await mkdir(dirname(WIDGET_BUNDLE), { recursive: true });
await writeFile(WIDGET_BUNDLE, (await bundleWidget()).script);
