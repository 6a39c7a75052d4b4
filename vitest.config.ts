import { defineConfig } from 'vitest/config';

// The same locale and time zone on every machine, set before the test workers start (they
// inherit them): localeCompare orders differently under some locales (da_DK sorts "aa" after
// "z"), which changed the generated demo account, and a fresh CI machine's settings are
// whatever its image says.
process.env.TZ = 'UTC';
process.env.LANG = 'C.UTF-8';
process.env.LC_ALL = 'C.UTF-8';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous on purpose: timeouts only catch hangs here, and CI runs on a loaded two-vCPU
    // machine where starting the CLI, moto or Chromium can take tens of seconds. No test asserts
    // on how long something took.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    globalSetup: ['test/setup/build-cli.ts', 'test/setup/moto.ts'],
    setupFiles: ['test/setup/fast-check-seed.ts'],
    reporters: ['default'],
  },
});
