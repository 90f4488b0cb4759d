import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { runXtest } from '../helpers/cli.js'
import { requireEngine } from '../helpers/docker.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

// On this host's real engine socket: `/var/run:/x` and a symlink to docker.sock were accepted
// (the check was a regex on the volume string, at container creation).
const copyFixture = useTempFixtures()
beforeAll(() => requireEngine())

test.each([
  [
    '/var/run:/x',
    /^xtest: xtest\.config\.json: containers\.amp\.volumes\[0\]: '\/var\/run:\/x': \/var\/run( \(\/run\))? exposes the container engine socket \/(var\/)?run\/docker\.sock/,
  ],
  [
    './engine:/x',
    /^xtest: xtest\.config\.json: containers\.amp\.volumes\[0\]: '\.\/engine:\/x': \S+\/engine \(\/(var\/)?run\/docker\.sock\) is the container engine socket/,
  ],
])('%s is exit 2 before any work, with --runtime docker and as a plan', async (volume, line) => {
  const dir = copyFixture('config-checks')
  fs.symlinkSync('/var/run/docker.sock', path.join(dir, 'engine'))
  const file = path.join(dir, 'xtest.config.json')
  fs.writeFileSync(file, JSON.stringify({ containers: { amp: { image: 'xtest-node:test', volumes: [volume] } } }))
  for (const args of [['run', '--runtime', 'docker'], ['plan']]) {
    const result = await runXtest(args, { cwd: dir })
    expect(result.exitCode, result.stderr).toBe(2)
    expect(result.stderr.trim()).toMatch(line)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  }
  expect(fs.existsSync(path.join(dir, '.xtest'))).toBe(false)
})
