import { defineConfig } from 'vitest/config';

const report = process.env.STIPPLE_TEST_REPORT;

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'device-sim/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start real servers and child processes; give them room on a shared 2-core box.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // CI reads its pass/fail count from the JSON report, not from the console summary.
    reporters: report ? ['default', 'json'] : ['default'],
    ...(report && { outputFile: { json: report } }),
  },
});
