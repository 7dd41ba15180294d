import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { contractFiles, REPOSITORY_ROOT } from './contract-files.js';

for (const [file, text] of Object.entries(await contractFiles())) {
  await mkdir(dirname(join(REPOSITORY_ROOT, file)), { recursive: true });
  await writeFile(join(REPOSITORY_ROOT, file), text);
  process.stdout.write(`wrote ${file}\n`);
}
