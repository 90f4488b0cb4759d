import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { repoRoot, runXtest } from '../helpers/cli.js'

// A JS/TS config is code. One that never settles, calls process.exit or loops forever, and a
// TypeScript syntax error, each end in exit 2 with one line naming the config (and the line of a syntax error).
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

function project(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-config-code-'))
  dirs.push(dir)
  fs.writeFileSync(path.join(dir, name), text)
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'))
  return dir
}
const valid = "{ containers: { amp: { runtime: 'local' } } }"

test.each([
  [
    'xtest.config.mjs',
    `await new Promise(() => {})\nexport default ${valid}\n`,
    'xtest: xtest.config.mjs: cannot load config: never finished loading (it waits on a promise that can never settle)',
  ],
  [
    'xtest.config.mjs',
    `setInterval(() => {}, 1000)\nawait new Promise(() => {})\nexport default ${valid}\n`,
    'xtest: xtest.config.mjs: cannot load config: did not finish loading in 2 s (a loop, or a promise that never settles?)',
  ],
  [
    'xtest.config.mjs',
    `process.exit(0)\nexport default ${valid}\n`,
    'xtest: xtest.config.mjs: cannot load config: called process.exit(0) while loading',
  ],
  [
    'xtest.config.ts',
    `while (true) {}\nexport default ${valid}\n`,
    'xtest: xtest.config.ts: cannot load config: did not finish loading in 2 s (a loop, or a promise that never settles?)',
  ],
  [
    'xtest.config.ts',
    "export default {\n  containers: { amp: { runtime: 'local' } }\n  tiers: {},\n}\n",
    'xtest: xtest.config.ts:3:2: cannot load config: ParseError: Unexpected token, expected ","',
  ],
  [
    'xtest.config.mjs',
    "export default { containers: { amp: { runtime: 'local' } }, tiers: { fast: { timeout: () => 1 } } }\n",
    /^xtest: xtest\.config\.mjs: cannot load config: its default export is not plain data/,
  ],
])('%s: %s', async (name, text, line) => {
  const dir = project(name, text)
  const started = Date.now()
  for (const args of [['plan'], ['run']]) {
    const result = await runXtest(args, { cwd: dir, env: { XTEST_CONFIG_TIMEOUT: '2s' }, timeout: 60_000 })
    expect(result.exitCode, result.stderr).toBe(2)
    if (typeof line === 'string') expect(result.stderr.trim()).toBe(line)
    else expect(result.stderr.trim()).toMatch(line)
  }
  expect(Date.now() - started).toBeLessThan(40_000)
  expect(fs.existsSync(path.join(dir, '.xtest'))).toBe(false)
})

test('a config that loads is unchanged: code may still read the environment', async () => {
  const dir = project(
    'xtest.config.ts',
    `export default { containers: { amp: { runtime: 'local', include: [process.env.XTEST_PROBE_GLOB ?? 'none/**'] } } }\n`,
  )
  fs.mkdirSync(path.join(dir, 'src'))
  fs.writeFileSync(path.join(dir, 'src/a.test.ts'), "import { test } from 'vitest'\ntest('ok', () => {})\n")
  const result = await runXtest(['plan', '--json'], { cwd: dir, env: { XTEST_PROBE_GLOB: 'src/**' } })
  expect(result.exitCode, result.stderr).toBe(0)
  expect(JSON.parse(result.stdout).shards).toEqual([{ id: 'amp.fast', container: 'amp', tier: 'fast', files: ['src/a.test.ts'] }])
})
