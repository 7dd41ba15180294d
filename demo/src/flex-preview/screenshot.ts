/** npm run screenshot: the README's pictures of the plugin in Flex, from the real Flex components. */
import { fileURLToPath } from 'node:url';
import { openFlexPreview, saveScreenshots } from './preview.js';

const README_SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

const preview = await openFlexPreview();
try {
  for (const path of await saveScreenshots(preview.page, README_SCREENSHOTS)) console.log(`saved ${path}`);
} finally {
  await preview.close();
}
