// Whether we run under CI, and which one: decides plain progress lines, the read-only repo mount, `--runtime auto`'s
// fallback and how printed lines are kept from being read as a CI system's commands (cli-output's guard).
import { createRequire } from 'node:module'

// ci-info's list of CI systems and the variables that tell them. Its main module reads process.env once at import;
// xtest decides from an env it is given (tests, the library), so it evaluates the list itself. createRequire: a JSON
// import would print Node 20's "experimental" warning in every library user's process.
type EnvTest = string | { env: string; includes: string } | { any: string[] } | Record<string, string>
interface Vendor {
  name: string
  constant: string
  env: EnvTest | EnvTest[]
}
const VENDORS = createRequire(import.meta.url)('ci-info/vendors.json') as Vendor[]

// Variables ci-info also takes as "some CI" (Jenkins, TeamCity, Codeship, Travis, TaskCluster...).
const GENERIC = ['BUILD_ID', 'BUILD_NUMBER', 'CI_APP_ID', 'CI_BUILD_ID', 'CI_BUILD_NUMBER', 'CI_NAME', 'CONTINUOUS_INTEGRATION', 'RUN_ID']

function matches(test: EnvTest, env: NodeJS.ProcessEnv): boolean {
  if (typeof test === 'string') return Boolean(env[test])
  if ('includes' in test && typeof test.env === 'string') return env[test.env]?.includes(test.includes) ?? false
  if ('any' in test && Array.isArray(test.any)) return test.any.some((name) => Boolean(env[name]))
  return Object.entries(test as Record<string, string>).every(([name, value]) => env[name] === value)
}

/** Every variable by which a CI system is told (for tests that must not inherit the CI they run on). */
export function ciVariableNames(): string[] {
  const names = (test: EnvTest): string[] =>
    typeof test === 'string'
      ? [test]
      : 'includes' in test
        ? [test.env!]
        : 'any' in test && Array.isArray(test.any)
          ? test.any
          : Object.keys(test)
  return [...new Set([...GENERIC, 'CI', ...VENDORS.flatMap((vendor) => [vendor.env].flat().flatMap(names))])]
}

export interface CiVendor {
  /** `GitHub Actions`, `Azure Pipelines`, `TeamCity`... */
  name: string
  /** ci-info's constant: `GITHUB_ACTIONS`, `AZURE_PIPELINES`, `TEAMCITY`... */
  id: string
}

/** The CI system `env` shows, from ci-info's list; undefined when none. */
export function ciVendor(env: NodeJS.ProcessEnv): CiVendor | undefined {
  for (const vendor of VENDORS) {
    const tests = Array.isArray(vendor.env) ? vendor.env : [vendor.env]
    if (tests.every((test) => matches(test, env))) return { name: vendor.name, id: vendor.constant }
  }
  return undefined
}

const isOff = (value: string | undefined): boolean => ['false', '0'].includes(value?.trim().toLowerCase() ?? '')

/**
 * Any CI system ci-info knows (GitHub Actions, Azure Pipelines, Jenkins, TeamCity, GitLab, Buildkite...) counts, even
 * with `CI=false`: such a job runs code from pull requests, and safety wins. Otherwise `CI` (any value but empty,
 * `false` or `0`) or one of the generic build variables does, and an explicit `CI=false`/`0` means a local run.
 */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  if (ciVendor(env) !== undefined) return true
  if (isOff(env.CI)) return false
  if (env.CI?.trim()) return true
  return GENERIC.some((name) => Boolean(env[name]))
}
