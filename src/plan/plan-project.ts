import fs from 'node:fs'
import path from 'node:path'
import type { ResolvedConfig } from '../config/resolve.js'
import { discoverTestFiles } from './discover.js'
import { createPlan } from './plan.js'
import { scanSource, type SourceFacts } from './scan-source.js'
import type { Plan } from './types.js'

/** Discovers the config's test files, reads each once for tags and pins, and plans them. */
export async function planProject(config: ResolvedConfig): Promise<Plan> {
  const files = await discoverTestFiles(config.root, config.include, config.exclude)
  const facts = new Map<string, SourceFacts>()
  for (const file of files) facts.set(file, scanSource(fs.readFileSync(`${config.root}${path.sep}${file}`, 'utf8')))
  return createPlan({ config, files, facts: (file) => facts.get(file)! })
}
