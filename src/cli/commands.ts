import type { CAC } from 'cac'
import type { Output } from '../shared/output.js'
import { planCommand } from './commands/plan.js'

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
}
