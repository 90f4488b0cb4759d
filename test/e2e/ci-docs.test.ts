import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { fixture, repoRoot, runXtest } from '../helpers/cli.js'

// The recipes of docs/ci.md: every ```yaml block must parse, and every `xtest` command in them must be a valid
// invocation (options known to `xtest <command> --help`; run commands executed as `xtest plan`, merge commands
// executed on real reports).
const doc = fs.readFileSync(path.join(repoRoot, 'docs/ci.md'), 'utf8')
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!)
const parsed = blocks.map((text) => parseAllDocuments(text))
const recipes = parsed.map((docs) => docs[0]!.toJS() as Record<string, any>)
const [github, gitlab, kubernetes] = recipes as [Record<string, any>, Record<string, any>, Record<string, any>]

// Every string in a parsed YAML value.
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(stringsOf)
    : value && typeof value === 'object' ? Object.values(value).flatMap(stringsOf) : []

// CI variables → numbers, as part 2 of 4 would see them.
const substitute = (line: string) => line
  .replace(/\$\{\{\s*matrix\.i\s*\}\}/g, '2')
  .replace(/\$\{CI_NODE_INDEX\}/g, '2').replace(/\$\{CI_NODE_TOTAL\}/g, '4')
  .replace(/\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)/g, '2')

const commands = recipes.flatMap(stringsOf).flatMap((text) => text.split('\n'))
  .map((line) => /\bxtest\s+(.*)$/.exec(line)?.[1]).filter((line): line is string => line !== undefined)
  .map((line) => substitute(line).trim().split(/\s+/))

const RUN_ONLY = new Set(['--all', '--junit', '--runtime', '--bail', '--concurrency', '--summary'])
const helpOf = new Map<string, string>()
let work: string
beforeAll(async () => {
  for (const command of ['run', 'merge', 'plan']) helpOf.set(command, (await runXtest([command, '--help'], { cwd: repoRoot })).stdout)
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-ci-docs-'))
})
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

describe('docs/ci.md recipes', () => {
  test('has the GitHub Actions, GitLab and Kubernetes recipes, and every YAML block parses', () => {
    expect(blocks).toHaveLength(3)
    for (const docs of parsed) for (const each of docs) expect(each.errors).toEqual([])
  })

  test('GitHub Actions: a matrix of N parts, JUnit uploaded unless cancelled, a merge job', () => {
    const matrix: number[] = github.jobs.test.strategy.matrix.i
    expect(matrix).toEqual(Array.from({ length: matrix.length }, (_, i) => i + 1))
    const steps: Array<Record<string, any>> = github.jobs.test.steps
    expect(steps.find((s) => String(s.run).includes('xtest run'))!.run).toContain(`--shard \${{ matrix.i }}/${matrix.length}`)
    expect(steps.find((s) => String(s.uses).startsWith('actions/upload-artifact'))!.if).toBe('${{ !cancelled() }}')
    expect(github.jobs.merge.if).toBe('${{ !cancelled() }}')
    expect(github.jobs.merge.steps.some((s: Record<string, any>) => String(s.run).includes('xtest merge'))).toBe(true)
    // Issue 14: one plan for every part and the merge, made by the planning job.
    expect(github.jobs.plan.steps.some((s: Record<string, any>) => String(s.run).includes('xtest plan --save plan.json'))).toBe(true)
    expect(steps.find((s) => String(s.run).includes('xtest run'))!.run).toContain('--plan plan.json')
    expect(github.jobs.merge.steps.find((s: Record<string, any>) => String(s.run).includes('xtest merge')).run).toContain('--plan plan.json')
  })

  test('GitLab: parallel with CI_NODE_INDEX/CI_NODE_TOTAL, artifacts when always', () => {
    expect(gitlab.tests.parallel).toBe(4)
    expect(gitlab.tests.script.join('\n')).toContain('--shard ${CI_NODE_INDEX}/${CI_NODE_TOTAL}')
    expect(gitlab.tests.artifacts.when).toBe('always')
    expect(gitlab.merge.script.join('\n')).toContain('xtest merge')
    expect(gitlab.plan.script.join('\n')).toContain('xtest plan --save plan.json')
    expect(gitlab.tests.script.join('\n')).toContain('--plan plan.json')
    expect(gitlab.merge.script.join('\n')).toContain('--plan plan.json')
  })

  test('Kubernetes: an Indexed Job whose 0-based completion index becomes the 1-based --shard', () => {
    expect(kubernetes).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', spec: { completionMode: 'Indexed' } })
    const args = kubernetes.spec.template.spec.containers[0].args.join(' ')
    expect(args).toContain(`--shard $((JOB_COMPLETION_INDEX + 1))/${kubernetes.spec.completions}`)
  })

  test('every xtest command is a valid invocation', async () => {
    expect(commands.map((c) => c[0])).toEqual(['plan', 'run', 'merge', 'plan', 'run', 'merge', 'run'])
    for (const [command, ...args] of commands) {
      const options = args.filter((arg) => arg.startsWith('-')).map((arg) => arg.split('=')[0]!)
      for (const option of options) expect(helpOf.get(command!), `xtest ${command} ${option}`).toContain(option)
      const result = command === 'plan' ? await savePlan(args) : command === 'run' ? await runAsPlan(withPlan(args)) : await runMerge(withPlan(args))
      expect(result.exitCode, `xtest ${command} ${args.join(' ')}: ${result.stderr}`).toBeLessThan(2)
    }
  })
})

// The planning job's `xtest plan --save FILE`, on the monorepo fixture, saving into the temp folder.
function savePlan(args: string[]) {
  return runXtest(['plan', ...args.map((arg, i) => (args[i - 1] === '--save' ? path.join(work, 'plan.json') : arg))], { cwd: fixture('monorepo') })
}

// `--plan FILE` of the parts and the merge: the plan the planning job saved.
const withPlan = (args: string[]) => args.map((arg, i) => (args[i - 1] === '--plan' ? path.join(work, 'plan.json') : arg))

// `xtest run ...` checked as `xtest plan ...` on the monorepo fixture (no containers are started).
function runAsPlan(args: string[]) {
  const kept: string[] = []
  for (let i = 0; i < args.length; i++) {
    if (!RUN_ONLY.has(args[i]!)) { kept.push(args[i]!); continue }
    if (!['--all', '--bail'].includes(args[i]!)) i++
  }
  return runXtest(['plan', ...kept], { cwd: fixture('monorepo') })
}

// `xtest merge <glob> -o OUT --timings` on two real reports, the glob expanded as a shell would.
function runMerge(args: string[]) {
  const inputs = ['vitest-4.1-amp-fast.xml', 'xtest-reporter-opt-slow.xml']
  const expanded = args.flatMap((arg) => {
    if (!arg.includes('*')) return [arg.startsWith('/') ? path.join(work, path.basename(arg)) : arg]
    return inputs.map((input, i) => {
      const name = path.join(work, arg.replace('*', String(i + 1)).replace(/^\/reports\//, ''))
      fs.copyFileSync(path.join(repoRoot, 'test/fixtures-junit', input), name)
      return name
    })
  })
  return runXtest(['merge', ...expanded], { cwd: work })
}
