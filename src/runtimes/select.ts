// Which runtime runs each container: auto falls back to the host only outside CI, and says so loudly.

import type { ResolvedConfig } from '../config/resolve.js'
import { ciVendor, isCI } from '../core/ci.js'
import { type CodeOf, InfraError } from '../core/errors.js'
import type { Result } from '../core/result.js'
import type { RuntimeChoice, RuntimeName } from '../core/runtimes.js'
import type { DockerRuntimeOptions } from './docker.js'
import { createEngine, describeEngine, probeEngine } from './engine.js'
import type { EngineClient } from './engine-client.js'
import type { Runtime } from './runtime.js'

export interface RuntimeSelection {
  /** Per container: which runtime runs its shards. */
  runtimeOf: Record<string, RuntimeName>
  /** Per container with the docker runtime: its engine client. */
  engines: Record<string, EngineClient>
  /** One line for the user when auto fell back to local. */
  notice?: string
  /** Per container that auto ran on the host instead of in its image: why (the engine and its error). */
  fellBack?: Record<string, string>
}

/**
 * Chooses the runtime of each selected container. `docker` needs every engine to answer (exit 3
 * naming the container otherwise); `local` never touches an engine. `auto` uses Docker where the
 * engine answers; where none does it never drops the sandbox silently: in CI (`CI` set) that is
 * exit 3 before anything runs, locally the fallback to the host runs with a loud warning.
 */
export async function selectRuntimes(
  config: ResolvedConfig,
  containers: string[],
  choice: RuntimeChoice,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RuntimeSelection> {
  const selection: RuntimeSelection = { runtimeOf: {}, engines: {} }
  const probes = new Map<string, Promise<Result<EngineClient>>>()
  const fallbacks: string[] = []
  for (const name of containers) {
    const container = config.containers[name]!
    if (choice === 'local' || container.runtime === 'local') {
      selection.runtimeOf[name] = 'local'
      continue
    }
    const key = describeEngine(container.host)
    if (!probes.has(key)) {
      probes.set(
        key,
        createEngine(container.host).then((engine) => probeEngine(engine)),
      )
    }
    // A host xtest cannot use at all (not a URL, an unknown scheme) is an error whatever the choice, naming the container.
    const probe = await probes.get(key)!.catch((failure: unknown) => {
      if (failure instanceof InfraError) throw new InfraError(`container ${name}: ${failure.message}`, failure.code as CodeOf<'infra'>)
      throw failure
    })
    if (probe.ok) {
      selection.runtimeOf[name] = 'docker'
      selection.engines[name] = probe.value
      continue
    }
    if (choice === 'docker') {
      throw new InfraError(`container ${name}: container engine at ${key} is unreachable: ${probe.message}`, 'XTEST_ENGINE_UNREACHABLE', {
        hint: 'start Docker or Podman, set DOCKER_HOST, or run with --runtime local',
      })
    }
    selection.runtimeOf[name] = 'local'
    fallbacks.push(`${name} (${key}: ${probe.message})`)
    selection.fellBack = { ...selection.fellBack, [name]: `no container engine answered at ${key}: ${probe.message}` }
  }
  if (fallbacks.length === 0) return selection
  if (isCI(env)) {
    // A CI job runs code from pull requests: on the host it would see the job's tokens and files.
    throw new InfraError(
      `no container engine answered for ${fallbacks.join(', ')}; this is a CI job (${ciVendor(env)?.name ?? 'CI is set'}), so xtest will not run the tests on the host without the sandbox (start the engine, or choose the host with --runtime local)`,
      'XTEST_ENGINE_UNREACHABLE',
    )
  }
  selection.notice = `WARNING: no container engine answered for ${fallbacks.join(', ')}: running the tests on THIS HOST, outside the container sandbox (with an allowlisted environment); pass --runtime local to choose this, or start the engine`
  return selection
}

/** The runtimes the selection uses, by name; each module (dockerode, execa) loads only when a container uses it. */
export async function loadRuntimes(
  selection: RuntimeSelection,
  options: Omit<DockerRuntimeOptions, 'engineFor'> & { hostEnv?: NodeJS.ProcessEnv },
): Promise<Partial<Record<Runtime['name'], Runtime>>> {
  const uses = new Set(Object.values(selection.runtimeOf))
  const engineFor = (name: string) => selection.engines[name]!
  return {
    ...(uses.has('local') && { local: new (await import('./local.js')).LocalRuntime(options.tierTags, options.hostEnv ?? process.env) }),
    ...(uses.has('docker') && { docker: new (await import('./docker.js')).DockerRuntime({ ...options, engineFor }) }),
  }
}
