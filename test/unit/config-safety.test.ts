import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { HostFacts } from '../../src/config/check-limits.js'
import { checkConfigSafety } from '../../src/config/check-safety.js'
import { toResolvedConfig } from '../../src/config/normalize.js'
import { parseConfig, resolveConfig } from '../../src/config/resolve.js'
import { ConfigError } from '../../src/core/errors.js'

// Unsafe and impossible values are exit 2 when the config is read, naming the path.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-safety-'))
const home = path.join(dir, 'home')
const host: HostFacts = { cores: 4, env: {}, home }
let server: net.Server
beforeAll(async () => {
  fs.mkdirSync(path.join(dir, 'repo/data'), { recursive: true })
  fs.mkdirSync(path.join(dir, 'run/engine'), { recursive: true })
  fs.mkdirSync(home)
  fs.symlinkSync('/', path.join(dir, 'repo/to-root'))
  fs.symlinkSync(path.join(dir, 'run'), path.join(dir, 'repo/to-run'))
  server = net.createServer()
  await new Promise<void>((resolve) => server.listen(path.join(dir, 'run/engine/any.sock'), resolve))
  fs.symlinkSync(path.join(dir, 'run/engine/any.sock'), path.join(dir, 'repo/link.sock'))
})
afterAll(() => {
  server?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const problem = (container: Record<string, unknown>, extra: Record<string, unknown> = {}): string => {
  const config = resolveConfigUnchecked({ containers: { amp: { image: 'amp:1', ...container } }, ...extra })
  try {
    checkConfigSafety(config, host)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).exitCode).toBe(2)
    return (error as Error).message.replace(/^.*?xtest\.config\.ts: /, '')
  }
  return 'accepted'
}
// Parsed as resolveConfig does, then checked against `host` above rather than this machine.
function resolveConfigUnchecked(raw: unknown) {
  const configPath = path.join(dir, 'repo/xtest.config.ts')
  return toResolvedConfig(parseConfig(raw, configPath), path.join(dir, 'repo'), configPath)
}

describe('network, memory, cpus, pids', () => {
  test.each([
    [
      { network: 'host' },
      "containers.amp.network: network 'host' shares a namespace with the host or another container; use 'none', 'bridge' or a named network",
    ],
    [
      { network: 'container:db' },
      "containers.amp.network: network 'container:db' shares a namespace with the host or another container; use 'none', 'bridge' or a named network",
    ],
    [{ memory: '0' }, "containers.amp.memory: '0' is below Docker's minimum of 6m (0 would mean no limit at all)"],
    [{ memory: '5m' }, "containers.amp.memory: '5m' is below Docker's minimum of 6m"],
    [
      { memory: '99999999999g' },
      `containers.amp.memory: '99999999999g' is not a size xtest can pass on (at most ${Number.MAX_SAFE_INTEGER} bytes)`,
    ],
    [{ cpus: 1e308 }, 'containers.amp.cpus: 1e+308 is more than the 4 cores of this host, which Docker refuses'],
    [{ cpus: 0.001 }, "containers.amp.cpus: 0.001 is not a CPU limit (from 0.01 up to the host's 4 cores)"],
    [{ cpus: 5 }, 'containers.amp.cpus: 5 is more than the 4 cores of this host, which Docker refuses'],
    [{ pids: 2 ** 40 }, "containers.amp.pids: 1099511627776 is above Linux's highest pid limit (4194304)"],
  ])('%j → %s', (container, message) => {
    expect(problem(container)).toBe(message)
  })

  test('sane values pass; more cpus than this host has are fine for a remote engine', () => {
    expect(problem({ network: 'bridge', memory: '6m', cpus: 4, pids: 4096 })).toBe('accepted')
    expect(problem({ cpus: 16, host: 'tcp://build-box:2376' })).toBe('accepted')
  })
})

describe('tier timeouts', () => {
  test.each([
    [
      { slow: { timeout: '600h' } },
      "tiers.slow.timeout: 2160000000 ms is longer than Node's timers allow (2147483647 ms, about 24 days): it would fire at once",
    ],
    [
      { fast: { timeout: 2 ** 31 } },
      "tiers.fast.timeout: 2147483648 ms is longer than Node's timers allow (2147483647 ms, about 24 days): it would fire at once",
    ],
    [
      { superslow: { timeout: '1h', testTimeout: '597h' } },
      "tiers.superslow.testTimeout: 2149200000 ms is longer than Node's timers allow (2147483647 ms, about 24 days): it would fire at once",
    ],
  ])('%j → %s', (tiers, message) => {
    expect(problem({}, { tiers })).toBe(message)
  })

  test('a duration that does not parse, or is 0 or negative, is refused by the schema', () => {
    for (const timeout of ['10 minutes', '0s', -5, 0, '1e3']) {
      expect(() => resolveConfig({ containers: { amp: { image: 'a' } }, tiers: { fast: { timeout } } }, dir, null)).toThrow(
        /tiers\.fast\.timeout: expected a duration/,
      )
    }
  })
})

describe('volumes, resolved with realpath', () => {
  test.each([
    ['/:/host', "'/:/host': / is the host's root folder"],
    ['./to-root:/host', () => `'./to-root:/host': ${dir}/repo/to-root (/) is the host's root folder`],
    ['/proc:/p', "'/proc:/p': /proc exposes the host's /proc"],
    ['/proc/1/root:/p', "'/proc/1/root:/p': /proc/1/root exposes the host's /proc"],
    ['/sys/fs:/s', "'/sys/fs:/s': /sys/fs exposes the host's /sys"],
    ['/dev:/d', "'/dev:/d': /dev exposes the host's /dev"],
    ['./nope:/n', () => `'./nope:/n': ${dir}/repo/nope does not exist (Docker would create it, as root)`],
    [`${dir}:/d`, () => `'${dir}:/d': ${dir} exposes the home folder ${home}`],
    [`${dir}/home:/d`, () => `'${dir}/home:/d': ${home} exposes the home folder ${home}`],
    [
      './to-run:/r',
      () =>
        `'./to-run:/r': ${dir}/repo/to-run (${dir}/run) exposes the unix socket ${dir}/run/engine/any.sock, a way out of the sandbox (an engine socket is root on the host); set unsafe: { engineSocket: true } to allow it`,
    ],
    [
      './link.sock:/s',
      () =>
        `'./link.sock:/s': ${dir}/repo/link.sock (${dir}/run/engine/any.sock) is the unix socket ${dir}/run/engine/any.sock, a way out of the sandbox (an engine socket is root on the host); set unsafe: { engineSocket: true } to allow it`,
    ],
  ])('%s is refused', (volume, message) => {
    expect(problem({ volumes: [volume] }).replace(/^containers\.amp\.volumes\[0\]: /, '')).toBe(
      typeof message === 'function' ? message() : message,
    )
  })

  test('the path is named, and every problem is listed (the first is the error line)', () => {
    expect(problem({ volumes: ['./data:/data', '/proc:/p'] })).toMatch(/^containers\.amp\.volumes\[1\]: /)
  })

  test('a folder of the repo is fine; a socket only with unsafe.engineSocket; /proc and / never', () => {
    expect(problem({ volumes: ['./data:/data:ro', `${home}/../repo:/r`] })).toBe('accepted')
    expect(problem({ volumes: ['./to-run:/r', './link.sock:/s'], unsafe: { engineSocket: true } })).toBe('accepted')
    expect(problem({ volumes: ['/proc:/p'], unsafe: { engineSocket: true } })).toMatch(/exposes the host's \/proc/)
  })
})

describe('host-only secrets', () => {
  test("XTEST_CACHE_SECRET in a container's env (a value or passed through) is exit 2: a shard with it could sign a forged pass", () => {
    const message =
      "containers.amp.env.XTEST_CACHE_SECRET: XTEST_CACHE_SECRET signs the result cache's entries and never goes to a shard (test code could sign a forged pass): remove it"
    expect(problem({ env: { XTEST_CACHE_SECRET: true } })).toBe(message)
    expect(problem({ env: { XTEST_CACHE_SECRET: 'abcdefabcdefabcdef' } })).toBe(message)
    expect(problem({ env: { OTHER: true } })).toBe('accepted')
  })
})
