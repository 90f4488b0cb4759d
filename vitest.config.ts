import { defineConfig } from 'vitest/config'

// The project's own suite. Fixture repos under fixtures/ hold test files of their own:
// they are run by xtest in the e2e and docker tests, never collected here.
// NOTE: no root `include`: projects that extend the root would add it to their own.
export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'fixtures/**', 'bench/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The result cache would answer a fixture's second run from its first; the tests of the cache turn it on.
    env: { XTEST_CACHE: 'off' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
      // Docker tests share one engine on a 2-core machine: run their files one at a time.
      { extends: true, test: { name: 'docker', include: ['test/docker/**/*.test.ts'], fileParallelism: false, globalSetup: ['test/helpers/docker-global-setup.ts'] } },
    ],
  },
})
