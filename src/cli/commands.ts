import type { CAC } from 'cac'
import type { Output } from '../shared/output.js'
import { planCommand } from './commands/plan.js'
import { runCommand } from './commands/run.js'

type Run = (result: Promise<number>) => void

/** The CLI's commands and options as data; each action hands its exit-code promise to main. */
export function registerCommands(cli: CAC, out: Output, run: Run): void {
  cli.option('--config <file>', 'Use this xtest config file instead of searching upwards')

  cli
    .command('plan', 'Show what would run where, and why')
    .option('--json', 'Print the plan as JSON (stable, versioned shape)')
    .option('--files', 'List each file with its container, tier and reason')
    .option('--container <name>', 'Only these containers (repeatable)')
    .option('--tier <tier>', 'fast, slow, superslow or all (default: all)')
    .action((options) => run(planCommand(options, out)))

  cli
    .command('run', 'Run the plan: each shard in its container, then merge the JUnit')
    .option('--all', 'Every container, every tier')
    .option('--container <name>', 'Only these containers (repeatable)')
    .option('--tier <tier>', 'fast, slow, superslow or all (default: fast; with --all: all)')
    .option('--bail', 'Start nothing new and stop running shards after the first failing shard')
    .option('--concurrency <n>', 'Shards at once (default: number of cores)')
    .option('--runtime <runtime>', 'auto, docker or local (default: auto)')
    .option('--junit <file>', 'Where to write the merged JUnit (default: .xtest/junit.xml)')
    .option('--summary <file>', 'Also write the Markdown summary to this file')
    .example('xtest run --all')
    .example('xtest run --container opt --tier fast -- --reporter=verbose')
    .action((options) => run(runCommand(options, out)))
}
