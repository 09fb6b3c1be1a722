import { defineConfig } from 'vitest/config';
import { MISSING_SERVICES, servicesAvailable } from './tests/helpers/services.ts';

/**
 * The server suite runs twice: on SQLite (`server`) and on PostgreSQL (`server-pg`), so the two
 * stores cannot drift; `scaleout` runs several instances on PostgreSQL and Redis. Both need the
 * binaries of the Debian packages postgresql and redis-server: without them a developer gets one
 * message and the rest of the suite; CI (CI=true) fails instead of skipping.
 */
const services = servicesAvailable();
if (!services) {
  if (process.env.CI === 'true') throw new Error(MISSING_SERVICES.replace('; skipping them.', '.'));
  console.warn(MISSING_SERVICES);
}
const serverTest = {
  include: ['tests/server/**/*.test.ts'],
  environment: 'node' as const,
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    globalSetup: ['tests/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      { test: { name: 'server', ...serverTest } },
      ...(services
        ? [
            {
              test: {
                name: 'server-pg',
                ...serverTest,
                env: { TEST_STORE: 'postgres' },
                globalSetup: ['tests/helpers/pg-global-setup.ts'],
                // After the first group (unit, server, e2e), not beside it: running the server
                // suite twice at once on 2 cores made its timing-sensitive tests time out.
                sequence: { groupOrder: 1 },
              },
            },
            {
              test: {
                name: 'scaleout',
                include: ['tests/scaleout/**/*.test.ts'],
                environment: 'node' as const,
                testTimeout: 120_000,
                hookTimeout: 60_000,
                // Each file runs its own database, Redis and server processes.
                fileParallelism: false,
                sequence: { groupOrder: 2 },
              },
            },
          ]
        : []),
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 60_000,
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
