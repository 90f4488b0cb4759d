// `.xtest/runs` no longer grows without bound, and nothing xtest writes lands in a commit.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { fixture, repoRoot, runXtest } from '../helpers/cli.js'

const temps: string[] = []
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true })
})

// A temp copy of fixtures/local-failures (its empty node_modules replaced by a link to the repo's).
function copyLocalFailures(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-run-folders-'))
  temps.push(dir)
  fs.cpSync(fixture('local-failures'), dir, { recursive: true, filter: (src) => !/[/\\](node_modules|\.xtest)$/.test(src) })
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'))
  return dir
}

describe('run folders', () => {
  test('with keepRuns: 2, three runs leave the newest two folders; the created .xtest/ ignores itself in git', async () => {
    const cwd = copyLocalFailures()
    const configFile = path.join(cwd, 'xtest.config.json')
    fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(configFile, 'utf8')), keepRuns: 2 }))
    const runDirs: string[] = []
    for (let i = 0; i < 3; i++) {
      const result = await runXtest(['run', '--runtime', 'local'], { cwd })
      expect(result.exitCode, result.stderr).toBe(1) // the fixture has a failing test
      runDirs.push(path.basename(result.stderr.match(/\(run folder (.+?)\)\s*$/m)![1]!))
      expect(result.stderr).not.toContain('could not remove')
    }
    expect(fs.readdirSync(path.join(cwd, '.xtest', 'runs')).sort()).toEqual(runDirs.slice(1).sort())
    expect(fs.readFileSync(path.join(cwd, '.xtest', '.gitignore'), 'utf8')).toMatch(/^\*$/m)
  })
})

describe('the output folder', () => {
  test('a committed .xtest link is refused (exit 2, one line) before anything is written or pruned through it', async () => {
    const cwd = copyLocalFailures()
    const victim = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-victim-'))
    temps.push(victim)
    const old = path.join(victim, 'runs', '20200101-000000-abcd')
    fs.mkdirSync(old, { recursive: true })
    fs.writeFileSync(
      path.join(old, 'owner.json'),
      JSON.stringify({ pid: 2 ** 22 + 7, host: os.hostname(), startedAt: '2020-01-01T00:00:00Z' }),
    )
    fs.symlinkSync(victim, path.join(cwd, '.xtest'))
    const configFile = path.join(cwd, 'xtest.config.json')
    fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(configFile, 'utf8')), keepRuns: 1 }))
    const result = await runXtest(['run', '--runtime', 'local'], { cwd })
    expect(result.exitCode, result.stderr).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/output folder \.xtest goes through the symbolic link .*\.xtest/)
    expect(fs.readdirSync(victim)).toEqual(['runs'])
    expect(fs.readdirSync(path.join(victim, 'runs'))).toEqual(['20200101-000000-abcd'])
  })

  test('an output folder outside the repository is refused', async () => {
    const cwd = copyLocalFailures()
    const configFile = path.join(cwd, 'xtest.config.json')
    // A name of its own beside the temp copy: a folder some earlier run left there must not decide the outcome.
    const elsewhere = `../${path.basename(cwd)}-elsewhere`
    fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(configFile, 'utf8')), outputDir: elsewhere }))
    const result = await runXtest(['run', '--runtime', 'local'], { cwd })
    expect(result.exitCode, result.stderr).toBe(2)
    expect(result.stderr).toMatch(/output folder .*elsewhere is outside the repository/)
    expect(fs.existsSync(path.join(cwd, elsewhere))).toBe(false)
  })
})

describe('xtest init', () => {
  test('writes a starter config and adds .xtest/ to .gitignore; run again it changes nothing; the config plans', async () => {
    // Inside the repository, so that the starter's `import ... from 'vitest-xtest/config'` resolves (as in a project with xtest installed).
    const cwd = fs.mkdtempSync(path.join(repoRoot, 'fixtures', '.tmp-init-'))
    try {
      fs.writeFileSync(path.join(cwd, '.gitignore'), 'node_modules/\n')
      const first = await runXtest(['init'], { cwd })
      // The image matches this Node and the repo's Vitest (4.1 on Node 20, 5 on Node 24 in CI's two halves).
      const vitest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }
      const image = `node:${process.versions.node.split('.')[0]}`
      const five = vitest.version.startsWith('5.')
      expect([first.exitCode, first.stdout]).toEqual([
        0,
        `xtest: wrote xtest.config.ts (one container, image ${image} for Node ${process.versions.node} and Vitest ${vitest.version}: get it with \`docker pull ${image}\`; edit it to match your images)\nxtest: added ${five ? '.xtest/ and .vitest/' : '.xtest/'} to .gitignore`,
      ])
      const config = fs.readFileSync(path.join(cwd, 'xtest.config.ts'), 'utf8')
      const again = await runXtest(['init'], { cwd })
      expect([again.exitCode, again.stdout]).toEqual([
        0,
        'xtest: xtest.config.ts exists; left as is\nxtest: .gitignore already ignores .xtest/',
      ])
      expect(fs.readFileSync(path.join(cwd, 'xtest.config.ts'), 'utf8')).toBe(config)
      expect(fs.readFileSync(path.join(cwd, '.gitignore'), 'utf8')).toBe(
        `node_modules/\n# xtest run folders, merged reports and timings\n.xtest/\n${five ? "# Vitest 5's reporter files\n.vitest/\n" : ''}`,
      )
      expect(fs.readFileSync(path.join(cwd, 'xtest.config.ts'), 'utf8')).toContain(`image: '${image}'`)
      fs.writeFileSync(path.join(cwd, 'a.test.ts'), "import { test } from 'vitest'\ntest('a', () => {})\n")
      const plan = await runXtest(['plan'], { cwd })
      expect(plan.exitCode, plan.stderr).toBe(0)
      expect(plan.stdout).toContain('1 of 1 test files assigned')
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true })
    }
  })
})
