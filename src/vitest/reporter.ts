// The shard's reporter: writes <XTEST_SHARD_DIR>/junit.xml and progress.ndjson. Loaded inside the shard, so it
// imports only Node built-ins and relative files (types from vitest are erased).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, Vitest } from 'vitest/node'
import type { ReportSuite } from '../core/junit-report.js'
import { renderJUnit } from '../core/junit-write.js'
import { PROGRESS_FILE } from '../core/progress.js'
import { writeFreshFile } from '../core/safe-fs.js'
import { renderShardReport, SHARD_REPORT_FILE } from '../core/shard-report.js'
import { tierOfTags } from '../core/tiers.js'
import { getModulePath, type SuiteContext, toJUnitSuite, toMissingFileSuites, toUnhandledSuite } from './junit-cases.js'
import { configInputsOf, moduleListOf, writeModuleList } from './module-list.js'
import { ProgressLog } from './progress-log.js'
import { readShardEnv, readShardFiles, type ShardEnv } from './shard-env.js'

/** Marks xtest's reporter instances, so the plugin can tell whether one is already active. */
export const XTEST_REPORTER = Symbol.for('xtest.reporter')

export interface XtestReporterOptions {
  /** Where junit.xml and progress.ndjson go. Default: XTEST_SHARD_DIR; without either, the reporter does nothing. */
  shardDir?: string
  /** Environment to read XTEST_* from. Default: process.env. */
  env?: NodeJS.ProcessEnv
}

export default class XtestReporter implements Reporter {
  readonly [XTEST_REPORTER] = true
  private readonly shard: ShardEnv
  private readonly shardDir: string | null
  private readonly progress: ProgressLog
  /** Module paths in the report are relative to the working directory, as XTEST_FILES is. */
  private readonly root = process.cwd()
  /** `--testNamePattern` (e.g. `xtest run --failed`): tests it filters out did not run and are not reported. */
  private namePattern: RegExp | undefined
  /** Vitest's version, for `xtest merge` to tell parts made by different majors apart. */
  private vitestVersion = ''
  private projects: Vitest['projects'] | undefined

  constructor(options: XtestReporterOptions = {}) {
    this.shard = readShardEnv(options.env)
    this.shardDir = options.shardDir ?? this.shard.shardDir
    this.progress = new ProgressLog(this.shardDir && path.join(this.shardDir, PROGRESS_FILE))
  }

  onInit(vitest: Vitest): void {
    if (this.shardDir) fs.mkdirSync(this.shardDir, { recursive: true })
    this.vitestVersion = typeof vitest?.version === 'string' ? vitest.version : ''
    const pattern = vitest?.config?.testNamePattern
    if (pattern instanceof RegExp) this.namePattern = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
    if (vitest?.projects) this.projects = vitest.projects
  }

  onTestRunStart(specifications: ReadonlyArray<unknown>): void {
    this.progress.write({ event: 'run-start', files: specifications.length })
  }

  onTestModuleCollected(module: TestModule): void {
    const tests = [...module.children.allTests()].filter((test) => this.inTier(test)).length
    this.progress.write({ event: 'collected', file: getModulePath(module, this.root), tests })
  }

  // A test that never ends (a tier timeout) is named from this event, with how long it had run.
  onTestCaseReady(test: TestCase): void {
    if (!this.inTier(test)) return
    this.progress.write({ event: 'test-start', file: getModulePath(test.module, this.root), name: test.fullName })
  }

  onTestCaseResult(test: TestCase): void {
    const { state } = test.result()
    if (!this.inTier(test) || state === 'pending') return
    this.progress.write({ event: 'test', file: getModulePath(test.module, this.root), name: test.fullName, state })
  }

  onTestModuleEnd(module: TestModule): void {
    this.progress.write({ event: 'done', file: getModulePath(module, this.root), state: module.state() })
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    this.progress.write({ event: 'run-end', reason })
    if (!this.shardDir) return
    const context = this.suiteContext(reason)
    const suites: ReportSuite[] = modules.map((module) => toJUnitSuite(module, context, (test) => this.inTier(test)))
    const unhandled = toUnhandledSuite(unhandledErrors, context)
    if (unhandled) suites.push(unhandled)
    if (this.shard.filesPath) {
      const reported = new Set(modules.map((module) => getModulePath(module, this.root)))
      suites.push(...toMissingFileSuites(readShardFiles(this.shard.filesPath), reported, context))
    }
    writeModuleList(this.shardDir, [
      ...(this.projects ? [configInputsOf(this.projects)] : []),
      ...modules.map((module) => moduleListOf(module, getModulePath(module, this.root))),
    ])
    const report = { name: 'xtest', suites }
    // report.json first: junit.xml appearing is the sign that the run has ended (runtimes/shard-lifecycle.ts). It
    // only saves the host time: one that cannot be written (its name taken by a folder) leaves the JUnit to be read.
    try {
      writeFreshFile(path.join(this.shardDir, SHARD_REPORT_FILE), renderShardReport(report))
    } catch {
      /* the host reads junit.xml */
    }
    writeFreshFile(path.join(this.shardDir, 'junit.xml'), renderJUnit(report))
  }

  private inTier(test: TestCase): boolean {
    return tierOfTags(test.tags) === this.shard.tier && (this.namePattern === undefined || matchesName(this.namePattern, test))
  }

  private suiteContext(reason: TestRunEndReason): SuiteContext {
    const { container, tier, image, imageId, shard, runId } = this.shard
    const values = {
      container,
      tier,
      image,
      image_id: imageId,
      shard,
      run_id: runId,
      run_end_reason: reason,
      vitest_version: this.vitestVersion,
    }
    const properties = Object.entries(values).map(([name, value]) => ({ name, value }))
    return { root: this.root, tier, hostname: os.hostname(), timestamp: new Date().toISOString(), properties }
  }
}

// The name Vitest matches `--testNamePattern` against: the suites' names and the test's, joined by spaces (Vitest 4)
// or by ' > ' (Vitest 5, which is TestCase.fullName).
const matchesName = (pattern: RegExp, test: TestCase): boolean =>
  pattern.test(test.fullName) || pattern.test(test.fullName.split(' > ').join(' '))
