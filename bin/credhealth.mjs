#!/usr/bin/env node
// The installed `credhealth` command: a shim over the bundle that `npm run build` (and so
// `npm ci`, through `prepare`) writes to dist/.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/credhealth.mjs', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write(
    'credhealth: error: the CLI is not built; run `npm run build` in the credential-health checkout\n',
  );
  process.exitCode = 70;
}
