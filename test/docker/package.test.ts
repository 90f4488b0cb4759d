// The packed package, installed from its tarball into a fresh repo, driving the real engine: the bundled CLI
// finds its own Vitest plugin, builds the fixture's images and runs a shard in each.
// What users get: on .ci/run's Node 24 half this is vitest@5.1.2 (installed with no flag) and a Node 24 base
// image; `xtest run --all`, local and Docker, gives each test once with the results Vitest 4.1.12 gave on Node 20
// (test/docker/expected/monorepo-run-all.json, which the Node 20 half checks against the same run).

import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { repoRoot } from '../helpers/cli.js'
import { BASE_IMAGE, containersWith, readMergedJunit, requireEngine } from '../helpers/docker.js'
import { createPackedRepo, type PackedRepo } from '../helpers/packed-repo.js'

let packed: PackedRepo

beforeAll(async () => {
  await requireEngine()
  packed = await createPackedRepo('monorepo')
}, 240_000)

afterAll(() => packed?.remove())

test('npx xtest run --container amp --container opt --runtime docker: both images, one merged report, nothing left', async () => {
  const { exitCode, stdout, stderr } = await packed.xtest(['run', '--container', 'amp', '--container', 'opt', '--runtime', 'docker'])
  expect(exitCode, `${stdout}\n${stderr}`).toBe(0)
  expect(stdout).toMatch(/amp\s+fast\s+docker \S+\s+passed/)
  expect(stdout).toMatch(/opt\s+fast\s+docker \S+\s+passed/)
  const report = readMergedJunit(path.join(packed.repo, '.xtest/junit.xml'))
  // opt-solver is only in the opt image: its guarded test passes there, and there is no skip anywhere.
  expect(report.cases.find((c) => c.suite === 'opt/fast/optimizer/solver.test.ts')?.status).toBe('passed')
  expect(report.cases.filter((c) => c.status !== 'passed')).toEqual([])
  const [run] = fs.readdirSync(path.join(packed.repo, '.xtest/runs'))
  expect(await containersWith(`xtest.run=${run}`)).toEqual([])
}, 180_000)

describe('xtest run --all in the installed package gives each test once, with the results of Vitest 4.1.12 on Node 20', () => {
  const expected = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/docker/expected/monorepo-run-all.json'), 'utf8')) as Record<
    'local' | 'docker',
    string[]
  >

  test('the Vitest and Node of this half, and the base image built from the same Node', async () => {
    const node = process.versions.node.split('.')[0]
    expect(BASE_IMAGE).toBe(process.env.XTEST_BASE_IMAGE || `xtest-node:${node}`)
    const vitestMajor = packed.vitestVersion.split('.')[0]
    // .ci/run's halves: Node 20 with Vitest 4.1, Node 24 with Vitest 5.
    if (node === '20') expect(vitestMajor).toBe('4')
    if (Number(node) >= 24) expect(vitestMajor).toBe('5')
    expect(packed.installLog).not.toMatch(/ERESOLVE|peer dep|install-scripts/i)
  })

  test.each(['local', 'docker'] as const)(
    '--runtime %s',
    async (runtime) => {
      const junit = path.join(packed.repo, `.xtest/all-${runtime}.xml`)
      const { exitCode, stdout, stderr } = await packed.xtest(['run', '--all', '--runtime', runtime, '--junit', junit])
      expect(exitCode, `${stdout}\n${stderr}`).toBe(0)
      // Vitest 5's warnings about what a shard cannot write, or about a deprecated config loader, must not appear.
      const logs = fs
        .readdirSync(path.join(packed.repo, '.xtest/runs'), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('output.log'))
        .map((file) => fs.readFileSync(path.join(packed.repo, '.xtest/runs', file), 'utf8'))
        .join('\n')
      expect(logs).not.toMatch(/fsModuleCache|could not be created|is deprecated|EACCES|EROFS/)
      const cases = readMergedJunit(junit)
        .cases.map((c) => `${c.suite} > ${c.name}: ${c.status}`)
        .sort()
      expect(new Set(cases).size, 'each test once').toBe(cases.length)
      expect(cases).toEqual(expected[runtime])
    },
    300_000,
  )
})

// README and code cannot drift: the README's Programmatic use examples run as written in the installed package,
// each as an .mjs file of the fresh repo (the monorepo fixture's containers amp and opt, built by the test above).
describe("the README's Programmatic use examples, run verbatim", () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
  const section = readme.slice(
    readme.indexOf('\n## Programmatic use\n'),
    readme.indexOf('\n## ', readme.indexOf('\n## Programmatic use\n') + 1),
  )
  const examples = Object.fromEntries([...section.matchAll(/^### (\w+)\n\n```js\n([\s\S]*?)```/gm)].map(([, name, code]) => [name!, code!]))
  const runExample = (name: string) => {
    fs.writeFileSync(path.join(packed.repo, `readme-${name}.mjs`), examples[name]!)
    return execa('node', [`readme-${name}.mjs`], { cwd: packed.repo, reject: false, env: { CI: 'true', NO_COLOR: '1' } })
  }

  test('one section, with an example for plan, run, merge and exec', () => {
    expect(readme.match(/^#+ Programmatic use$/gm)).toEqual(['## Programmatic use'])
    expect(Object.keys(examples)).toEqual(['plan', 'run', 'merge', 'exec'])
  })

  test("plan and run: this machine's shards; the merged report at .xtest/junit.xml and exit code 0", async () => {
    const planned = await runExample('plan')
    expect(planned.exitCode, planned.stderr).toBe(0)
    expect(planned.stdout.split('\n')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^amp\.fast \d+$/), expect.stringMatching(/^amp\.superslow \d+$/)]),
    )
    fs.rmSync(path.join(packed.repo, '.xtest/junit.xml'), { force: true })
    const done = await runExample('run')
    expect(done.exitCode, done.stderr).toBe(0)
    expect(done.stdout).toMatch(/^0 \{\s+tests: \d+,\s+passed: \d+,\s+failed: 0,[\s\S]*\.xtest\/runs\//) // util.inspect breaks a long line
    expect(done.stderr).toContain('merged report .xtest/junit.xml')
    expect(readMergedJunit(path.join(packed.repo, '.xtest/junit.xml')).cases.map((c) => c.suite)).toContain(
      'opt/fast/optimizer/solver.test.ts',
    )
  }, 180_000)

  test('merge: two parts into merged.xml, exit code 1 for the failed test', async () => {
    for (const [part, result] of [
      ['part-1', ''],
      ['part-2', '<failure message="no"/>'],
    ] as const) {
      fs.mkdirSync(path.join(packed.repo, part), { recursive: true })
      fs.writeFileSync(
        path.join(packed.repo, part, 'junit.xml'),
        `<testsuites><testsuite name="${part}" tests="1"><testcase classname="${part}" name="t">${result}</testcase></testsuite></testsuites>`,
      )
    }
    const merged = await runExample('merge')
    expect(merged.exitCode, merged.stderr).toBe(1)
    expect(merged.stdout).toMatch(/tests: 2,\s+passed: 1,\s+failed: 1/)
    expect(fs.readFileSync(path.join(packed.repo, 'merged.xml'), 'utf8')).toContain('part-2')
  })

  test('exec: argv reaches the command as written (no shell), exit code back, no container left', async () => {
    const run = runExample('exec')
    const { exitCode, stdout, stderr } = await run
    expect(exitCode, stderr).toBe(0)
    expect(stdout).toBe('$HOME; echo "not a shell"\nexit code 0')
    expect(await containersWith(`xtest.pid=${run.pid}`)).toEqual([])
  }, 180_000)
})
