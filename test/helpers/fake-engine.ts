// An engine for the Docker runtime's unit tests: a container `c1` that starts, exits 0 and is removed; each test
// overrides the calls it is about. The image and build calls throw (a shard never makes them).
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { resolveConfig } from '../../src/config/resolve.js'
import type { ShardSpec } from '../../src/core/shard.js'
import { DockerRuntime } from '../../src/runtimes/docker.js'
import type { EngineClient } from '../../src/runtimes/engine-client.js'

export function fakeEngine(overrides: Partial<EngineClient> = {}): EngineClient {
  const unused = async (): Promise<never> => {
    throw new Error('not used by a shard')
  }
  return {
    endpoint: 'fake://engine',
    createContainer: async () => 'c1',
    attachContainer: async () => {
      const s = new PassThrough()
      setTimeout(() => s.end(), 1)
      return s
    },
    startContainer: async () => {},
    waitContainer: async () => ({ StatusCode: 0 }),
    inspectContainer: async () => ({ State: { ExitCode: 0, OOMKilled: false } }),
    killContainer: async () => {},
    removeContainer: async () => {},
    containerEvents: async () => [],
    ping: unused,
    inspectImage: unused,
    tagImage: unused,
    buildImage: unused,
    listContainers: unused,
    ...overrides,
  }
}

/** This repository: the root of the shards and commands these tests run. */
export const repoRoot = path.resolve(import.meta.dirname, '../..')

/** The one shard of these tests: amp.fast on a.test.ts of this repository, writing its output under `work`. */
export function ampFastSpec(work: string, shard: Pick<ShardSpec, 'runId' | 'shardDir' | 'timeoutMs'>): ShardSpec {
  return {
    ...shard,
    id: 'amp.fast',
    container: 'amp',
    tier: 'fast',
    files: ['a.test.ts'],
    root: repoRoot,
    repoRoot,
    workdir: '.',
    vitestArgs: [],
    env: {},
    mounts: { readOnly: true, writable: [], outputDir: work },
  }
}

/** The Docker runtime with one container, amp (image amp:1), on `engine`. */
export function ampRuntime(engine: EngineClient, container: { memory?: string } = {}): DockerRuntime {
  const config = resolveConfig({ containers: { amp: { image: 'amp:1', ...container } } }, repoRoot, null)
  return new DockerRuntime({
    engineFor: () => engine,
    images: new Map([['amp', { image: 'amp:1', imageId: 'sha256:0', built: false }]]),
    containers: config.containers,
    tierTags: {},
    labels: { 'xtest.run': 'r' },
  })
}
