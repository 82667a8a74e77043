import { defineConfig } from 'vitest/config';

const report = process.env.STIPPLE_TEST_REPORT;

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'device-sim/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start real servers and child processes; give them room on a shared 2-core box.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A poll waits for a screen or a server to get there, on a box whose other core may be busy:
    // 1 s (vitest's default) made waits into speed checks. Speed is benchmarked, never asserted.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // CI reads its pass/fail count from the JSON report, not from the console summary.
    reporters: report ? ['default', 'json'] : ['default'],
    ...(report && { outputFile: { json: report } }),
  },
});
