import { describe, expect, test } from 'vitest'
import { InfraError } from '../../src/core/errors.js'
import { loadDockerode } from '../../src/runtimes/engine-dockerode.js'

// dockerode is an optional peer dependency, needed for ssh:// engines only: without it, one line says what to install.
describe('loading dockerode for an ssh:// engine', () => {
  const missing = () =>
    Promise.reject(
      Object.assign(new Error("Cannot find package 'dockerode' imported from /x/dist/chunks/a.js"), { code: 'ERR_MODULE_NOT_FOUND' }),
    )

  test('missing: an InfraError (exit 3) naming the host and the install command', async () => {
    const error = await loadDockerode('ssh://ci@build-host', missing).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InfraError)
    expect((error as InfraError).exitCode).toBe(3)
    expect((error as Error).message).toBe(
      'the engine at ssh://ci@build-host is an ssh:// host, which needs the optional package dockerode: run `npm install -D dockerode`',
    )
  })

  test('any other failure (a broken install, a missing dependency of dockerode) is passed on as it is', async () => {
    const broken = () =>
      Promise.reject(
        Object.assign(new Error("Cannot find package 'ssh2' imported from /x/node_modules/docker-modem/lib/modem.js"), {
          code: 'ERR_MODULE_NOT_FOUND',
        }),
      )
    await expect(loadDockerode('ssh://h', broken)).rejects.toThrow("Cannot find package 'ssh2'")
  })

  test('installed: the module itself', async () => {
    const module = await loadDockerode('ssh://h', () => import('dockerode'))
    expect(typeof module.default).toBe('function')
  })
})
