// Values the engine or Node would take and then misbehave with: caught when the config is read (exit 2, naming
// the config path), not at container creation after a run folder exists, and never silently (a 0 memory limit is
// "no limit" to Docker; a timeout of 2^31 ms or more makes setTimeout fire at once, timing out every shard).

import type { ResolvedTier } from './normalize.js'
import type { ParsedConfig } from './schema.js'

export interface ConfigProblem {
  path: (string | number)[]
  message: string
}

/** The host facts the checks compare with (injected for tests). */
export interface HostFacts {
  /** CPUs the local engine can give one container (Docker refuses more). */
  cores: number
  env: NodeJS.ProcessEnv
  /** The invoking user's home folder. */
  home: string
}

/** setTimeout's limit: a longer delay fires after 1 ms. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1
/** Docker refuses a memory limit below 6 MiB. */
const MIN_MEMORY_BYTES = 6 * 1024 ** 2
/** Linux's highest pid_max: a pids limit above it means nothing. */
const MAX_PIDS = 4_194_304

/** '512m', '4g', '1024' (bytes) → bytes; NaN when it is not a size. */
function parseMemorySize(size: string): number {
  const m = size
    .trim()
    .toLowerCase()
    .match(/^(\d+(?:\.\d+)?)([kmg]?)b?$/)
  if (!m) return Number.NaN
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2] as '' | 'k' | 'm' | 'g']
  return Math.round(Number(m[1]) * unit)
}

/** Unsafe network modes, impossible memory, cpus and pids limits of each container. */
export function checkContainerLimits(config: Pick<ParsedConfig, 'containers'>, host: HostFacts): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  for (const [name, container] of Object.entries(config.containers)) {
    const at = (key: string) => ['containers', name, key]
    const network = container.network
    if (network === 'host' || network.startsWith('container:')) {
      problems.push({
        path: at('network'),
        message: `network '${network}' shares a namespace with the host or another container; use 'none', 'bridge' or a named network`,
      })
    }
    if (container.memory !== undefined) {
      const bytes = parseMemorySize(container.memory)
      if (!Number.isSafeInteger(bytes))
        problems.push({
          path: at('memory'),
          message: `'${container.memory}' is not a size xtest can pass on (at most ${Number.MAX_SAFE_INTEGER} bytes)`,
        })
      else if (bytes < MIN_MEMORY_BYTES)
        problems.push({
          path: at('memory'),
          message: `'${container.memory}' is below Docker's minimum of 6m${bytes === 0 ? ' (0 would mean no limit at all)' : ''}`,
        })
    }
    if (container.cpus !== undefined) {
      const cpus = container.cpus
      const remote = isRemoteEngine(container.host ?? host.env.DOCKER_HOST)
      if (!Number.isFinite(cpus) || cpus < 0.01)
        problems.push({ path: at('cpus'), message: `${cpus} is not a CPU limit (from 0.01 up to the host's ${host.cores} cores)` })
      else if (!remote && cpus > host.cores)
        problems.push({ path: at('cpus'), message: `${cpus} is more than the ${host.cores} cores of this host, which Docker refuses` })
    }
    if (container.pids > MAX_PIDS)
      problems.push({ path: at('pids'), message: `${container.pids} is above Linux's highest pid limit (${MAX_PIDS})` })
  }
  return problems
}

// The host's core count says nothing about an engine on another machine (tcp://, ssh://).
function isRemoteEngine(url: string | undefined): boolean {
  return url !== undefined && url !== '' && !url.startsWith('unix://') && !url.startsWith('npipe://')
}

/** Tier budgets, per-test timeouts and limits Node's timers can hold. */
export function checkTierTimeouts(tiers: Record<string, ResolvedTier>, limits?: Record<string, number>): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  for (const [key, ms] of Object.entries(limits ?? {})) {
    if (ms > MAX_TIMEOUT_MS)
      problems.push({
        path: ['limits', key.replace(/Ms$/, '')],
        message: `${ms} ms is longer than Node's timers allow (${MAX_TIMEOUT_MS} ms, about 24 days)`,
      })
  }
  for (const [tier, { timeoutMs, testTimeoutMs }] of Object.entries(tiers)) {
    for (const [key, ms] of [
      ['timeout', timeoutMs],
      ['testTimeout', testTimeoutMs],
    ] as const) {
      if (ms === undefined) continue
      if (!Number.isFinite(ms) || ms <= 0) problems.push({ path: ['tiers', tier, key], message: `${ms} ms is not a duration` })
      else if (ms > MAX_TIMEOUT_MS) {
        problems.push({
          path: ['tiers', tier, key],
          message: `${ms} ms is longer than Node's timers allow (${MAX_TIMEOUT_MS} ms, about 24 days): it would fire at once`,
        })
      }
    }
  }
  return problems
}
