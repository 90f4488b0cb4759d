// The config's unsafe and impossible values, checked right after it is read (also when its parse came from the
// cache: these depend on the host, e.g. where a symlinked volume points today), so that `xtest plan` and
// `xtest run` stop with exit 2 and one line naming the config path before any work starts.
import os from 'node:os'
import { ConfigError } from '../core/errors.js'
import { type ConfigProblem, checkContainerLimits, checkTierTimeouts, type HostFacts } from './check-limits.js'
import { checkVolumes } from './check-volumes.js'
import { configLabel, formatPath } from './format-path.js'
import type { ResolvedConfig } from './normalize.js'

export function currentHost(): HostFacts {
  return { cores: os.availableParallelism(), env: process.env, home: os.homedir() }
}

// The result cache's signing key: a shard that had it could sign a forged entry that turns a failing file green.
const HOST_ONLY_ENV = ['XTEST_CACHE_SECRET']

function checkSecretsStayOut(config: ResolvedConfig): ConfigProblem[] {
  return Object.entries(config.containers).flatMap(([name, container]) =>
    HOST_ONLY_ENV.filter((variable) => variable in container.env).map((variable) => ({
      path: ['containers', name, 'env', variable],
      message: `${variable} signs the result cache's entries and never goes to a shard (test code could sign a forged pass): remove it`,
    })),
  )
}

/** Returns the config when it is safe; throws a ConfigError whose first line names the first problem. */
export function checkConfigSafety(config: ResolvedConfig, host: HostFacts = currentHost()): ResolvedConfig {
  const problems = [
    ...checkContainerLimits(config, host),
    ...checkVolumes(config, config.root, host),
    ...checkTierTimeouts(config.tiers, { gitTimeoutMs: config.limits.gitTimeoutMs, buildTimeoutMs: config.limits.buildTimeoutMs }),
    ...checkSecretsStayOut(config),
  ]
  if (problems.length === 0) return config
  const label = configLabel(config.configPath)
  const lines = problems.map((problem) => `${label}: ${formatPath(problem.path)}: ${problem.message}`)
  throw new ConfigError(lines[0]!, 'XTEST_CONFIG_UNSAFE', { hint: lines.length > 1 ? lines.slice(1).join('\n') : undefined })
}
