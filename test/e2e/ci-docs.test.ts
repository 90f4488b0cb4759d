import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { fixture, packageName, repoRoot, runXtest } from '../helpers/cli.js'
import { readMergedJunit } from '../helpers/docker.js'
import { makeNullDevice } from '../helpers/mounts.js'

// The recipes of docs/ci.md: every ```yaml block must parse, and every `xtest` command in them must be a valid
// invocation (options known to `xtest <command> --help`; run commands executed as `xtest plan`, merge commands
// executed on real reports).
const doc = fs.readFileSync(path.join(repoRoot, 'docs/ci.md'), 'utf8')
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!)
const parsed = blocks.map((text) => parseAllDocuments(text))
const recipes = parsed.map((docs) => docs[0]!.toJS() as Record<string, any>)
const [github, gitlab, kubernetes, untrusted] = recipes as [
  Record<string, any>,
  Record<string, any>,
  Record<string, any>,
  Record<string, any>,
]

// Every string in a parsed YAML value.
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(stringsOf)
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(stringsOf)
        : []

// CI variables → numbers, as part 2 of 4 would see them.
const substitute = (line: string) =>
  line
    .replace(/\$\{\{\s*matrix\.i\s*\}\}/g, '2')
    .replace(/\$\{CI_NODE_INDEX\}/g, '2')
    .replace(/\$\{CI_NODE_TOTAL\}/g, '4')
    .replace(/\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)/g, '2')

// The action step of the GitHub recipe, as the `xtest run` command line it makes.
const ACTION = /^\.\/node_modules\/vitest-xtest$/
const actionStep = () => (github.jobs.test.steps as Array<Record<string, any>>).find((s) => ACTION.test(String(s.uses)))!
const actionCommand = (step: Record<string, any>) => `xtest run ${step.with.args} --shard ${step.with.shard} --junit ${step.with.report}`

const commands = [...recipes.flatMap(stringsOf), actionCommand(actionStep())]
  .flatMap((text) => text.split('\n'))
  .map((line) => /\bxtest\s+(.*)$/.exec(line)?.[1])
  .filter((line): line is string => line !== undefined)
  .map((line) => substitute(line).trim().split(/\s+/))

const RUN_ONLY = new Set(['--all', '--junit', '--runtime', '--bail', '--concurrency', '--summary', '--coverage'])
const helpOf = new Map<string, string>()
let work: string
beforeAll(async () => {
  for (const command of ['run', 'merge', 'plan', 'build'])
    helpOf.set(command, (await runXtest([command, '--help'], { cwd: repoRoot })).stdout)
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-ci-docs-'))
})
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

describe('docs/ci.md recipes', () => {
  test('has the GitHub Actions, GitLab, Kubernetes and untrusted pull request recipes, and every YAML block parses', () => {
    expect(blocks).toHaveLength(4)
    for (const docs of parsed) for (const each of docs) expect(each.errors).toEqual([])
  })

  test("GitHub Actions: a matrix of N parts through xtest's action, JUnit uploaded unless cancelled, a merge job", () => {
    const matrix: number[] = github.jobs.test.strategy.matrix.i
    expect(matrix).toEqual(Array.from({ length: matrix.length }, (_, i) => i + 1))
    const steps: Array<Record<string, any>> = github.jobs.test.steps
    expect(actionStep().with).toEqual({
      args: '--plan plan.json --coverage',
      shard: `\${{ matrix.i }}/${matrix.length}`,
      report: 'junit-${{ matrix.i }}.xml',
    })
    expect(steps.find((s) => String(s.uses).startsWith('actions/upload-artifact'))!.if).toBe('${{ !cancelled() }}')
    expect(github.jobs.merge.if).toBe('${{ !cancelled() }}')
    expect(github.jobs.merge.steps.some((s: Record<string, any>) => String(s.run).includes('xtest merge'))).toBe(true)
    // One plan for every part and the merge, made by the planning job.
    expect(github.jobs.plan.steps.some((s: Record<string, any>) => String(s.run).includes('xtest plan --save plan.json'))).toBe(true)
    expect(github.jobs.merge.steps.find((s: Record<string, any>) => String(s.run).includes('xtest merge')).run).toContain(
      '--plan plan.json',
    )
  })

  test('GitHub Actions: images built once and loaded by every part; the merge uploads JUnit and HTML in one folder', () => {
    const images: Array<Record<string, any>> = github.jobs.images.steps
    expect(images.find((s) => String(s.run).includes('xtest build --images'))!.run).toContain('docker save -o images.tar')
    expect(images.find((s) => String(s.uses).startsWith('actions/upload-artifact'))!.with).toMatchObject({
      name: 'xtest-images',
      path: 'images.tar',
    })
    expect(github.jobs.test.needs).toEqual(['plan', 'images'])
    const steps: Array<Record<string, any>> = github.jobs.test.steps
    const load = steps.findIndex((s) => s.run === 'docker load -i images.tar')
    expect(steps[load - 1]!.with).toEqual({ name: 'xtest-images' })
    expect(load).toBeLessThan(steps.findIndex((s) => ACTION.test(String(s.uses))))
    const merge: Array<Record<string, any>> = github.jobs.merge.steps
    const command = merge.find((s) => String(s.run).includes('xtest merge'))!.run as string
    expect(command).toContain('-o xtest-report/junit.xml')
    expect(command).toContain('--html xtest-report/report.html')
    // Each part's raw coverage is an artifact of its own (one name in all would overwrite), merged beside the report.
    expect(steps.find((s) => s.with?.name === 'coverage-${{ matrix.i }}')!.with.path).toBe('.xtest/coverage/xtest-coverage.json')
    expect(merge.find((s) => s.with?.pattern === 'coverage-*')).toBeDefined()
    expect(command).toContain("--coverage 'coverage-*/xtest-coverage.json'")
    expect(merge.find((s) => String(s.uses).startsWith('actions/upload-artifact'))!.with).toEqual({
      name: 'xtest-report',
      path: 'xtest-report/',
    })
  })

  test('untrusted pull requests: the base branch installs and configures xtest, the fork installs without scripts, no secrets', () => {
    const text = blocks[3]!
    expect(untrusted.on).toBe('pull_request_target')
    expect(untrusted.permissions).toEqual({ contents: 'read' })
    expect(text).not.toMatch(/secrets\./)
    const steps: Array<Record<string, any>> = untrusted.jobs.test.steps
    expect(steps.filter((s) => String(s.uses).startsWith('actions/checkout')).map((s) => s.with.path)).toEqual(['base', 'pr'])
    expect(steps.filter((s) => String(s.run).startsWith('npm ci')).every((s) => s.run.includes('--ignore-scripts'))).toBe(true)
    expect(steps.some((s) => String(s.run).startsWith('cp base/xtest.config.json pr/'))).toBe(true)
    expect(untrusted.jobs.test.env.XTEST).toContain('/base/node_modules/.bin/xtest')
    const doc = fs.readFileSync(path.join(repoRoot, 'docs/ci.md'), 'utf8')
    for (const phrase of ['on the host', 'unsafe.engineSocket', 'volumes', 'outputDir', 'vitest.config.*', 'package.json'])
      expect(doc.slice(doc.indexOf('## Running untrusted pull requests')), phrase).toContain(phrase)
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

  test('current major versions: checkout v5+, setup-node v5+ on Node 24, upload-artifact v6+, download-artifact v7+, node:24 images', () => {
    const uses = stringsOf(github).filter((text) => /^actions\//.test(text))
    const least: Record<string, number> = {
      'actions/checkout': 5,
      'actions/setup-node': 5,
      'actions/upload-artifact': 6,
      'actions/download-artifact': 7,
      'actions/cache/restore': 5,
      'actions/cache/save': 5,
    }
    for (const use of uses) {
      const [name, version] = use.split('@v')
      expect(least[name!], use).toBeDefined()
      expect(Number(version), use).toBeGreaterThanOrEqual(least[name!]!)
    }
    for (const job of ['plan', 'test', 'merge']) {
      expect(github.jobs[job].steps.find((s: Record<string, any>) => s.uses === 'actions/setup-node@v5').with['node-version']).toBe(24)
    }
    expect([gitlab.plan.image, gitlab.tests.image, gitlab.merge.image]).toEqual(['node:24', 'node:24', 'node:24'])
  })

  test('action.yml and the GitHub workflow pass action-validator (offline, from the npm registry)', async () => {
    const workflow = path.join(work, 'tests.yml')
    fs.writeFileSync(workflow, blocks[0]!)
    const untrustedWorkflow = path.join(work, 'untrusted.yml')
    fs.writeFileSync(untrustedWorkflow, blocks[3]!)
    for (const file of [path.join(repoRoot, 'action.yml'), workflow, untrustedWorkflow]) {
      const result = await execa(path.join(repoRoot, 'node_modules/.bin/action-validator'), [file], { reject: false })
      expect(result.exitCode, `${file}: ${result.stdout}${result.stderr}`).toBe(0)
    }
    // and it does reject a broken one
    fs.writeFileSync(workflow, blocks[0]!.replace('runs-on:', 'runs-onn:'))
    expect((await execa(path.join(repoRoot, 'node_modules/.bin/action-validator'), [workflow], { reject: false })).exitCode).toBe(1)
  })

  test('every xtest command is a valid invocation', async () => {
    expect(commands.map((c) => c[0])).toEqual(['plan', 'build', 'merge', 'plan', 'run', 'merge', 'run', 'run'])
    for (const [command, ...args] of commands) {
      const options = args.filter((arg) => arg.startsWith('-')).map((arg) => arg.split('=')[0]!)
      for (const option of options) expect(helpOf.get(command!), `xtest ${command} ${option}`).toContain(option)
      // `xtest build --images` needs an engine: test/docker/ci-images.test.ts runs the image job's steps.
      if (command === 'build') continue
      const result =
        command === 'plan' ? await savePlan(args) : command === 'run' ? await runAsPlan(withPlan(args)) : await runMerge(withPlan(args))
      expect(result.exitCode, `xtest ${command} ${args.join(' ')}: ${result.stderr}`).toBeLessThan(2)
    }
  })
})

// The planning job's `xtest plan --save FILE`, on the monorepo fixture, saving into the temp folder.
function savePlan(args: string[]) {
  return runXtest(['plan', ...args.map((arg, i) => (args[i - 1] === '--save' ? path.join(work, 'plan.json') : arg))], {
    cwd: fixture('monorepo'),
  })
}

// `--plan FILE` of the parts and the merge: the plan the planning job saved.
const withPlan = (args: string[]) => args.map((arg, i) => (args[i - 1] === '--plan' ? path.join(work, 'plan.json') : arg))

// `xtest run ...` checked as `xtest plan ...` on the monorepo fixture (no containers are started).
function runAsPlan(args: string[]) {
  const kept: string[] = []
  for (let i = 0; i < args.length; i++) {
    if (!RUN_ONLY.has(args[i]!)) {
      kept.push(args[i]!)
      continue
    }
    if (!['--all', '--bail', '--coverage'].includes(args[i]!)) i++
  }
  return runXtest(['plan', ...kept], { cwd: fixture('monorepo') })
}

// `xtest merge <glob> -o OUT --timings` on two real reports, the glob expanded as a shell would.
function runMerge(args: string[]) {
  const inputs = ['vitest-4.1-amp-fast.xml', 'xtest-reporter-opt-slow.xml']
  const expanded = args.flatMap((arg, i) => {
    // `--coverage 'GLOB'`: xtest expands it (here it finds nothing to merge: only a warning).
    if (args[i - 1] === '--coverage') return [arg.replace(/^'(.*)'$/, '$1')]
    if (!arg.includes('*')) return [arg.startsWith('/') ? path.join(work, path.basename(arg)) : arg]
    return inputs.map((input, i) => {
      const name = path.join(work, arg.replace('*', String(i + 1)).replace(/^\/reports\//, ''))
      fs.copyFileSync(path.join(repoRoot, 'test/fixtures-junit', input), name)
      return name
    })
  })
  return runXtest(['merge', ...expanded], { cwd: work })
}

// xtest's action.yml: its shell step run as GitHub runs a `shell: bash` step (bash -eo pipefail, GITHUB_OUTPUT, the
// inputs through `env`), on a copy of the monorepo fixture with xtest installed: two parts, then the recipe's merge.
describe('action.yml on the monorepo fixture', () => {
  const action = parse(fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as Record<string, any>
  const step = (action.runs.steps as Array<Record<string, any>>)[0]!
  const defaults = Object.fromEntries(
    Object.entries(action.inputs as Record<string, { default: string }>).map(([name, input]) => [name, input.default]),
  )
  const expected = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/docker/expected/monorepo-run-all.json'), 'utf8')) as {
    local: string[]
  }
  let project: string
  let runs = 0

  beforeAll(() => {
    // As a user's checkout after `npm ci`: node_modules/.bin/xtest, xtest and vitest installed (linked to this repo's).
    project = path.join(work, 'monorepo')
    fs.cpSync(fixture('monorepo'), project, { recursive: true, filter: (src) => !src.split(path.sep).includes('.xtest') })
    fs.mkdirSync(path.join(project, 'node_modules/.bin'), { recursive: true })
    fs.symlinkSync(path.join(repoRoot, 'node_modules/vitest'), path.join(project, 'node_modules/vitest'))
    fs.mkdirSync(path.join(project, 'node_modules/@vitest'))
    fs.symlinkSync(path.join(repoRoot, 'node_modules/@vitest/coverage-v8'), path.join(project, 'node_modules/@vitest/coverage-v8'))
    fs.symlinkSync(repoRoot, path.join(project, 'node_modules', packageName))
    fs.symlinkSync(`../${packageName}/dist/cli.js`, path.join(project, 'node_modules/.bin/xtest'))
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'demo', private: true, type: 'module' }))
  })

  async function runAction(inputs: Record<string, string>) {
    const values: Record<string, string> = { ...defaults, ...inputs }
    const expand = (text: string) => text.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => values[name] ?? '')
    const env = Object.fromEntries(Object.entries(step.env as Record<string, string>).map(([name, value]) => [name, expand(value)]))
    const outputFile = path.join(work, `github-output-${++runs}`)
    fs.writeFileSync(outputFile, '')
    const script = path.join(work, `step-${runs}.sh`)
    fs.writeFileSync(script, step.run)
    const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: path.resolve(project, expand(step['working-directory'])),
      reject: false,
      env: { ...env, GITHUB_OUTPUT: outputFile, CI: 'true', NO_COLOR: '1' },
    })
    const outputs = Object.fromEntries(
      fs
        .readFileSync(outputFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    )
    return { exitCode: result.exitCode, output: `${result.stdout}\n${result.stderr}`, outputs }
  }

  test('a composite action with one bash step that takes its inputs from the environment only', () => {
    expect(action.runs.using).toBe('composite')
    expect(step.shell).toBe('bash')
    expect(step.run).not.toContain('${{')
    expect(Object.keys(action.outputs)).toEqual(['report', 'status', 'exit-code'])
  })

  test("the recipe's planning job, two parts, then its merge job: each test once, as in a plain run", async () => {
    const plan = (github.jobs.plan.steps as Array<Record<string, any>>).find((s) => String(s.run).includes('xtest plan'))!.run as string
    const planned = await execa('bash', ['-eo', 'pipefail', '-c', plan], {
      cwd: project,
      reject: false,
      env: { CI: 'true', NO_COLOR: '1' },
    })
    expect(planned.exitCode, `${planned.stdout}${planned.stderr}`).toBe(0)
    for (const part of [1, 2]) {
      const { exitCode, output, outputs } = await runAction({
        args: '--plan plan.json --runtime local --coverage',
        shard: `${part}/2`,
        report: `junit-${part}.xml`,
      })
      expect(exitCode, output).toBe(0)
      expect(outputs).toEqual({ report: path.join(project, `junit-${part}.xml`), status: 'passed', 'exit-code': '0' })
      expect(output).toContain(`part ${part}/2`)
      // What the part's coverage artifact holds, where the merge job's download puts it.
      fs.mkdirSync(path.join(project, `coverage-${part}`))
      fs.copyFileSync(path.join(project, '.xtest/coverage/xtest-coverage.json'), path.join(project, `coverage-${part}/xtest-coverage.json`))
    }
    const merge = (github.jobs.merge.steps as Array<Record<string, any>>).find((s) => String(s.run).includes('xtest merge'))!.run as string
    const merged = await execa('bash', ['-eo', 'pipefail', '-c', merge], {
      cwd: project,
      reject: false,
      env: { CI: 'true', NO_COLOR: '1' },
    })
    expect(merged.exitCode, `${merged.stdout}${merged.stderr}`).toBe(0)
    // The folder the merge job uploads: the merged JUnit and the HTML report.
    const html = fs.readFileSync(path.join(project, 'xtest-report/report.html'), 'utf8')
    expect(html).toContain('<html')
    // and the merged coverage of both parts, in the reporters of Vitest's defaults.
    expect(fs.existsSync(path.join(project, 'xtest-report/coverage/index.html'))).toBe(true)
    expect(`${merged.stdout}`).toMatch(/All files/)
    // Its timeline says which part ran each shard.
    expect(html).toMatch(/Lanes grouped by CI part: part 1\/2 \(\d+ lanes?\), part 2\/2 \(\d+ lanes?\)\./)
    const cases = readMergedJunit(path.join(project, 'xtest-report/junit.xml'))
      .cases.map((c) => `${c.suite} > ${c.name}: ${c.status}`)
      .sort()
    expect(cases).toEqual(expected.local)
  }, 180_000)

  test('the report path is handed to xtest: nothing is deleted (an old report after a usage error, a device)', async () => {
    const old = path.join(project, 'old-report.xml')
    fs.writeFileSync(old, '<testsuites/>')
    const usage = await runAction({ args: '--tier nope', report: 'old-report.xml' })
    expect(usage.exitCode, usage.output).toBe(2)
    expect(usage.outputs).toEqual({ report: '', status: 'usage', 'exit-code': '2' })
    expect(fs.readFileSync(old, 'utf8')).toBe('<testsuites/>')
    // Our own null device: the old step ran `rm -f` on it (as root, on /dev/null itself when asked).
    const device = makeNullDevice(path.join(work, 'null-device'))
    const run = await runAction({ args: '--tier nope', report: device })
    expect(run.exitCode, run.output).toBe(2)
    expect(fs.statSync(device).isCharacterDevice()).toBe(true)
    expect(run.outputs.report).toBe('')
  })

  test('args: quoted words on one line, one argument per line on several, an unmatched quote is a usage error', async () => {
    // A stand-in for xtest that prints each argument it gets on a line of its own, between brackets.
    const echo = path.join(work, 'print-args.sh')
    fs.writeFileSync(echo, '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\n', { mode: 0o755 })
    const argsOf = (output: string) => [...output.matchAll(/^\[(.*)\]$/gm)].map((m) => m[1]).slice(1)
    const quoted = await runAction({ command: echo, args: `--all -- -t "parses a date" 'it''s' $HOME \`id\` *` })
    expect(quoted.exitCode, quoted.output).toBe(0)
    expect(argsOf(quoted.output)).toEqual([
      '--all',
      '--junit',
      expect.stringMatching(/junit\.xml$/),
      '--',
      '-t',
      'parses a date',
      'its',
      '$HOME',
      '`id`',
      '*',
    ])
    const lines = await runAction({ command: echo, args: '--container\n  amp  \n\n--\n-t\nparses a date\n' })
    expect(lines.exitCode, lines.output).toBe(0)
    expect(argsOf(lines.output)).toEqual([
      '--container',
      'amp',
      '--junit',
      expect.stringMatching(/junit\.xml$/),
      '--',
      '-t',
      'parses a date',
    ])
    const broken = await runAction({ command: echo, args: '--all -t "unclosed' })
    expect(broken.exitCode).toBe(2)
    expect(broken.outputs).toEqual({ report: '', status: 'usage', 'exit-code': '2' })
    expect(broken.output).toContain("::error::xtest: the action's args input does not parse")
  })

  test('without xtest to start: exit 2, status usage, no report, and an ::error line saying what to install', async () => {
    const { exitCode, output, outputs } = await runAction({ command: 'npx --no-install xtest-not-installed' })
    expect(exitCode).toBe(2)
    expect(outputs).toEqual({ report: '', status: 'usage', 'exit-code': '2' })
    expect(output).toContain("::error::xtest: 'npx --no-install xtest-not-installed' does not start xtest in")
  })
})
