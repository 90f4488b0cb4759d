// The commands and their options as data, for cac and the help; each command's module loads only when it runs.
import type { CAC } from 'cac'
import { RUNTIME_CHOICES } from '../core/runtimes.js'
import type { Output } from '../shared/output.js'

const RUNTIME_HELP = `${RUNTIME_CHOICES.slice(0, -1).join(', ')} or ${RUNTIME_CHOICES.at(-1)} (default: auto)`
// Each command's module loads when it runs: `xtest plan` never loads dockerode, `xtest merge` never loads zod.
const plan = () => import('./commands/plan.js')
const runs = () => import('./commands/run.js')
const merge = () => import('./commands/merge.js')
const tools = () => import('./commands/tools.js')
const init = () => import('./commands/init.js')
const cache = () => import('./commands/cache.js')

type Run = (result: Promise<number>) => void

/** The CLI's commands and options as data; each action hands its exit-code promise to main. */
export function registerCommands(cli: CAC, out: Output, run: Run): void {
  cli.option('--config <file>', 'Use this xtest config file instead of searching upwards')
  cli.option('--debug', 'Print engine calls and plan decisions on stderr (the same as DEBUG=xtest:*)')

  cli
    .command('init', 'Start here: write a starter xtest.config.ts (if none) and add .xtest/ to .gitignore')
    .action(() => run(init().then((m) => m.initCommand(out))))

  cli
    .command('plan', 'Show what would run where, and why')
    .option('--json', 'Print the plan as JSON (stable, versioned shape)')
    .option('--files', 'List each file with its container, tier and reason')
    .option('--container <name>', 'Only these containers (repeatable)')
    .option('--tier <tier>', 'fast, slow, superslow or all (default: all)')
    .option('--shard <i/n>', "Only part I of N (1-based), balanced by recorded timings; shows each part's expected time")
    .option('--changed [ref]', 'Only test files affected by changes since REF (default: uncommitted changes)')
    .option('--slices <n>', "Split each shard into N slices on this machine (a number or auto; default: the config's slices)")
    .option('--plan <file>', "Use a recorded plan (a run folder's plan.json) instead of discovering files")
    .option('--drift', 'List files whose recorded time no longer fits their tier')
    .option('--flaky', 'List tests whose recent runs mix passes and failures, with their flake rate')
    .option('--save <file>', 'Write the plan with its timings and hash (plan.json) for xtest run --plan and xtest merge --plan')
    .example('xtest plan --shard 2/4')
    .action((options) => run(plan().then((m) => m.planCommand(options, out))))

  cli
    .command('run', 'Run the plan: each shard in its container, then merge the JUnit')
    .option('--all', 'Every container, every tier')
    .option('--container <name>', 'Only these containers (repeatable)')
    .option('--tier <tier>', 'fast, slow, superslow or all (default: fast; with --all: all)')
    .option('--bail', 'Start nothing new and stop running shards after the first failing shard')
    .option('--concurrency <n>', 'Shards at once (default: number of cores)')
    .option('--runtime <runtime>', RUNTIME_HELP)
    .option('--passWithNoTests', "Exit 0 when no test file matches the config's include (as Vitest's option)")
    .option('--junit <file>', 'Where to write the merged JUnit (default: .xtest/junit.xml)')
    .option('--summary <file>', 'Also write the Markdown summary to this file')
    .option('--progress <mode>', 'tty (live block), plain (a line per shard event) or none (default: tty on a terminal, else plain)')
    .option('--shard <i/n>', 'Run only part I of N (1-based) of the work, balanced by recorded timings (one CI job of N)')
    .option('--changed [ref]', 'Run only test files affected by changes since REF (default: uncommitted changes)')
    .option('--slices <n>', 'Split each shard into N concurrent Vitest processes (a number or auto; overrides the config)')
    .option('--plan <file>', "Run a recorded plan (a run folder's plan.json) instead of discovering files")
    .option('--failed [report]', 'Re-run only the failed tests of REPORT (default: the last merged report, .xtest/junit.xml)')
    .option('--no-cache', 'Run every file, also those whose stored pass still holds (passing results are still stored)')
    .option('--coverage', "Collect coverage in every shard and write one merged report with the Vitest config's reporters")
    .example('xtest run --all')
    .example('xtest run --all --shard 2/4')
    .example('xtest run --container opt --tier fast -- --reporter=verbose')
    .action((options) => run(runs().then((m) => m.runCommand(options, out))))

  cli
    .command('build [...names]', 'Build the images named by `build` (all, or these containers)')
    .option('--images', 'Print only the image names to `docker save` for another machine (built, their bases, `image:`s)')
    .example('docker save -o images.tar $(xtest build --images)')
    .action((names: string[], options) => run(tools().then((m) => m.buildCommand(names, options, out))))

  cli
    .command('exec', "Run one command in a container's image: xtest exec --container NAME -- CMD [ARGS...]")
    .option('--container <name>', 'The container whose image to use')
    .option('--runtime <runtime>', RUNTIME_HELP)
    .action((options) => run(tools().then((m) => m.execCommand(options, out))))

  cli
    .command('clean', "Remove this repository's containers left by xtest runs proven dead (same host, boot and pid namespace)")
    .option('--all', 'Remove every xtest container on the engine, of any repository, alive or not')
    .action((options) => run(tools().then((m) => m.cleanCommand(options, out))))

  cli
    .command(
      'cache <action>',
      'The result cache: info (where, how many entries, how big) or clean (remove the entries xtest wrote, nothing else)',
    )
    .action((action: string, options) => run(cache().then((m) => m.cacheCommand(action, options, out))))

  cli
    .command('merge [...files]', 'Merge JUnit reports made elsewhere into one: xtest merge a.xml b.xml -o out.xml')
    .option('-o, --output <file>', 'The merged report')
    .option('--summary <file>', 'Also write the Markdown summary to this file')
    .option(
      '--coverage [glob]',
      'Also merge the raw coverage CI parts uploaded (default: every xtest-coverage.json below here) into coverage/ beside -o',
    )
    .option('--timings [file]', "Record the merged report's file durations and test outcomes (default: the config's .xtest/timings.json)")
    .option('--html <file>', 'Also write the self-contained HTML report to this file')
    .option(
      '--plan <file>',
      'The plan the parts were cut from (plan.json): every planned file must be reported, parts of other plans are refused',
    )
    .option('--allow-mixed', 'Parts that ran on different images or Vitest majors are only noted (default: a failing case, exit 1)')
    .action((files: string[], options) => run(merge().then((m) => m.mergeCommand(files, options, out))))
}
