import { runSetup } from './run.js';

// `npm run setup -- <mode> [options]`: see README.md next to this file.
process.exitCode = await runSetup({ argv: process.argv.slice(2), env: process.env });
