// The CLI for child-process tests, run by vite-node so the TypeScript sources need no build.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
