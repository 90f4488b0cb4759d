// The config's unsafe and impossible values, checked right after it is read (also when its parse came from the
// cache: these depend on the host, e.g. where a symlinked volume points today), so that `xtest plan` and
// `xtest run` stop with exit 2 and one line naming the config path before any work starts.
import os from 'node:os'
import { ConfigError } from '../core/errors.js'
import { checkContainerLimits, checkTierTimeouts, type HostFacts } from './check-limits.js'
import { checkVolumes } from './check-volumes.js'
import { configLabel, formatPath } from './format-path.js'
import type { ResolvedConfig } from './normalize.js'

export function currentHost(): HostFacts {
  return { cores: os.availableParallelism(), env: process.env, home: os.homedir() }
}

/** Returns the config when it is safe; throws a ConfigError whose first line names the first problem. */
export function checkConfigSafety(config: ResolvedConfig, host: HostFacts = currentHost()): ResolvedConfig {
  const problems = [
    ...checkContainerLimits(config, host),
    ...checkVolumes(config, config.root, host),
    ...checkTierTimeouts(config.tiers, { gitTimeoutMs: config.limits.gitTimeoutMs, buildTimeoutMs: config.limits.buildTimeoutMs }),
  ]
  if (problems.length === 0) return config
  const label = configLabel(config.configPath)
  const lines = problems.map((problem) => `${label}: ${formatPath(problem.path)}: ${problem.message}`)
  throw new ConfigError(lines[0]!, 'XTEST_CONFIG_UNSAFE', { hint: lines.length > 1 ? lines.slice(1).join('\n') : undefined })
}
