import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** `20261121-234800-3f9a`: sortable by time, unique enough for one machine. */
export function createRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${stamp}-${crypto.randomBytes(2).toString('hex')}`
}

export interface RunFolder {
  runId: string
  /** `<outputDir>/runs/<run-id>` */
  dir: string
  shardDir(shardId: string): string
}

export function createRunFolder(outputDir: string, runId = createRunId()): RunFolder {
  const dir = path.join(outputDir, 'runs', runId)
  fs.mkdirSync(dir, { recursive: true })
  return { runId, dir, shardDir: (shardId) => path.join(dir, shardId) }
}

/** Where `xtest build` and `xtest exec` log an image build: `<outputDir>/builds/<container>.log`. */
export function buildLogPath(config: { root: string; outputDir: string }, container: string): string {
  const dir = path.join(path.resolve(config.root, config.outputDir), 'builds')
  fs.mkdirSync(dir, { recursive: true })
  return path.join(dir, `${container}.log`)
}
