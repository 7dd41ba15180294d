import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWidget, widgetScript } from '../../src/webchat/widget-script.js';

test("the widget's bundle is made of its own modules, the protocol's and the rich content's, nothing else: no validator, no package, nothing of Node", async () => {
  const { script, inputs } = await bundleWidget();
  const foreign = inputs.filter((input) => !input.startsWith('webchat-widget/src/'));
  assert.deepEqual(foreign.sort(), ['src/inbound/text-limit.ts', 'src/rich/customer-replies.ts', 'src/rich/rich-content.ts', 'src/webchat/protocol.ts']);
  assert.ok(inputs.includes('webchat-widget/src/main.ts'));
  // The frame schemas stay in the middleware: the browser only sends what its types allow.
  assert.doesNotMatch(script, /additionalProperties/);
});

test('compiled, the middleware serves the bundle the build made, and says how to make it when it is missing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'widget-'));
  try {
    const bundle = join(dir, 'widget.js');
    await assert.rejects(widgetScript(false, bundle), /run npm run build -w middleware/);
    await writeFile(bundle, '/* built */');
    assert.equal(String(await widgetScript(false, bundle)), '/* built */');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
