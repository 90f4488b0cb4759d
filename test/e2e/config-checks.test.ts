import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

// Unsafe and impossible config values stop `xtest plan` and `xtest run` with exit 2 and
// one line naming the config path, before any work: no run folder, no engine call.
const copyFixture = useTempFixtures()

function withConfig(patch: (config: { containers: Record<string, Record<string, unknown>>; tiers?: object }) => void): string {
  const dir = copyFixture('config-checks')
  const file = path.join(dir, 'xtest.config.json')
  const config = JSON.parse(fs.readFileSync(file, 'utf8'))
  patch(config)
  fs.writeFileSync(file, JSON.stringify(config))
  return dir
}

// A unix socket named as an engine's, as /var/run/docker.sock is.
async function listenOn(file: string): Promise<net.Server> {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(file, resolve))
  return server
}

describe('config checked up front', () => {
  test.each([
    [
      'a folder holding an engine socket, through a symlink',
      (c: any) => {
        c.containers.amp.volumes = ['./run-link:/x']
      },
      /^xtest: xtest\.config\.json: containers\.amp\.volumes\[0\]: '\.\/run-link:\/x': \S+\/run-link \(\S+\/run\) exposes the container engine socket \S+\/run\/engine\/docker\.sock, a way out of the sandbox/,
    ],
    [
      'a symlink to the engine socket',
      (c: any) => {
        c.containers.amp.volumes = ['./sock:/var/run/docker.sock']
      },
      /^xtest: xtest\.config\.json: containers\.amp\.volumes\[0\]: '\.\/sock:\/var\/run\/docker\.sock': \S+\/sock \(\S+\/run\/engine\/docker\.sock\) is the container engine socket/,
    ],
    [
      'a volume of /',
      (c: any) => {
        c.containers.amp.volumes = ['/:/host:ro']
      },
      /^xtest: xtest\.config\.json: containers\.amp\.volumes\[0\]: '\/:\/host:ro': \/ is the host's root folder$/,
    ],
    [
      'a volume of /proc',
      (c: any) => {
        c.containers.amp.volumes = ['/proc:/p']
      },
      /^xtest: xtest\.config\.json: containers\.amp\.volumes\[0\]: '\/proc:\/p': \/proc exposes the host's \/proc$/,
    ],
    [
      'network host',
      (c: any) => {
        c.containers.amp.network = 'host'
      },
      /^xtest: xtest\.config\.json: containers\.amp\.network: network 'host' shares a namespace/,
    ],
    [
      "memory '0' (no limit to Docker)",
      (c: any) => {
        c.containers.amp.memory = '0'
      },
      /^xtest: xtest\.config\.json: containers\.amp\.memory: '0' is below Docker's minimum of 6m/,
    ],
    [
      'cpus 1e308',
      (c: any) => {
        c.containers.amp.cpus = 1e308
      },
      /^xtest: xtest\.config\.json: containers\.amp\.cpus: 1e\+308 is more than the \d+ cores of this host/,
    ],
    [
      "a tier timeout of '600h'",
      (c: any) => {
        c.tiers = { slow: { timeout: '600h' } }
      },
      /^xtest: xtest\.config\.json: tiers\.slow\.timeout: 2160000000 ms is longer than Node's timers allow/,
    ],
  ])('%s: plan and run exit 2 with one line, before any work', async (_what, patch, line) => {
    const dir = withConfig(patch)
    const socket = await listenOn(path.join(dir, 'run/engine/docker.sock'))
    fs.symlinkSync(path.join(dir, 'run'), path.join(dir, 'run-link'))
    fs.symlinkSync(path.join(dir, 'run/engine/docker.sock'), path.join(dir, 'sock'))
    for (const args of [['plan'], ['run', '--runtime', 'docker'], ['run', '--runtime', 'local']]) {
      const result = await runXtest(args, { cwd: dir })
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(2)
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(result.stderr.trim()).toMatch(line)
      expect(fs.existsSync(path.join(dir, '.xtest')), 'no run folder').toBe(false)
    }
    socket.close()
  })

  test('unsafe.engineSocket: true lets the socket volume through (and nothing else)', async () => {
    const dir = withConfig((c) => {
      c.containers.amp!.volumes = ['./run:/x']
      c.containers.amp!.unsafe = { engineSocket: true }
    })
    const socket = await listenOn(path.join(dir, 'run/engine/docker.sock'))
    const result = await runXtest(['plan'], { cwd: dir })
    expect(result.exitCode, result.stderr).toBe(0)
    socket.close()
  })
})
