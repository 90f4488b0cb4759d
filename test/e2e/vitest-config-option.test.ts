// A project whose Vitest config is not where Vitest looks (config/vitest.config.ts, `npm test` = `vitest --config
// …`): named with `vitestConfig:` or `-- --config`, its setup file runs in every shard; `xtest plan` says which.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { takeVitestConfigArg } from '../../src/plan/vitest-config.js'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

const copyFixture = useTempFixtures()
const cwd = copyFixture('vitest-config-option')
const passedBoth = /^total +2 +0 +0 +0 /m

describe('the Vitest config named for xtest', () => {
  test('vitestConfig: in the config: the setup file runs in both shards', async () => {
    const result = await runXtest(['run'], { cwd })
    expect(result.exitCode, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(passedBoth)
  })

  test.each([[['--config', 'config/vitest.config.ts']], [['-c', 'config/vitest.config.ts']], [['--config=config/vitest.config.ts']]])(
    '-- %s is taken as that option, not passed to Vitest',
    async (args) => {
      const result = await runXtest(['run', '--no-cache', '--config', 'xtest.plain.config.json', '--', ...args], { cwd })
      expect(result.exitCode, result.stdout + result.stderr).toBe(0)
      expect(result.stdout).toMatch(passedBoth)
    },
  )

  test('without it, Vitest finds no config there and the setup file never runs (what the option fixes)', async () => {
    const result = await runXtest(['run', '--no-cache', '--config', 'xtest.plain.config.json'], { cwd })
    expect(result.exitCode).toBe(1)
  })

  test('xtest plan says which Vitest config each container uses', async () => {
    const named = await runXtest(['plan'], { cwd })
    expect(named.stderr).toContain(
      'xtest: Vitest config: a config/vitest.config.ts (vitestConfig); b config/vitest.config.ts (vitestConfig)',
    )
    const plain = await runXtest(['plan', '--config', 'xtest.plain.config.json'], { cwd })
    expect(plain.stderr).toContain('xtest: Vitest config: a none; b none')
  })

  test('a vitestConfig that does not exist: exit 2 naming it, before any shard', async () => {
    const dir = copyFixture('vitest-config-option')
    fs.writeFileSync(
      path.join(dir, 'xtest.config.json'),
      fs.readFileSync(path.join(dir, 'xtest.config.json'), 'utf8').replace('config/vitest.config.ts', 'config/nope.ts'),
    )
    const result = await runXtest(['run'], { cwd: dir })
    expect(result.exitCode, result.stderr).toBe(2)
    expect(result.stderr).toContain('xtest: container a: vitestConfig config/nope.ts does not exist')
    expect(fs.existsSync(path.join(dir, '.xtest/runs'))).toBe(false)
  })
})

test('takeVitestConfigArg: the three spellings, the rest kept in order; no file or two files are usage errors', () => {
  expect(takeVitestConfigArg(['--reporter=dot', '--config', 'x.ts', '--bail=1'])).toEqual({
    args: ['--reporter=dot', '--bail=1'],
    config: 'x.ts',
  })
  expect(takeVitestConfigArg(['-c', 'x.ts'])).toEqual({ args: [], config: 'x.ts' })
  expect(takeVitestConfigArg(['--config=x.ts', '--coverage'])).toEqual({ args: ['--coverage'], config: 'x.ts' })
  expect(takeVitestConfigArg(['--configLoader', 'runner'])).toEqual({ args: ['--configLoader', 'runner'] })
  expect(() => takeVitestConfigArg(['--config'])).toThrow('-- --config needs a file')
  expect(() => takeVitestConfigArg(['--config=', 'x'])).toThrow('needs a file')
  expect(() => takeVitestConfigArg(['-c', 'a.ts', '--config', 'b.ts'])).toThrow('given twice')
})
