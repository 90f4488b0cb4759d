// Shared by test/unit/report-*.test.ts: fixture paths, a schema check with xmllint, shard outcomes, temp folders.
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ShardOutcome } from '../../src/core/shard.js'

const FIXTURES = dirname(fileURLToPath(import.meta.url))
export const fixture = (name: string): string => join(FIXTURES, name)

/** The common JUnit schema, vendored in test/schema/ (see its README for the source and licence). */
export const XSD = resolve(FIXTURES, '../schema/junit-10.xsd')

/** Validates a file against junit-10.xsd with xmllint; returns xmllint's complaint, or '' when valid. */
export function schemaErrors(path: string): string {
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', XSD, path], { stdio: 'pipe' })
    return ''
  } catch (error) {
    const { stderr, message } = error as { stderr?: Buffer; message: string }
    return stderr?.toString() || message
  }
}

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'xtest-report-'))

/** A shard outcome with harmless defaults: exit 0, container amp, tier fast. */
export function outcomeOf(overrides: Partial<ShardOutcome> & Pick<ShardOutcome, 'junitPath'>): ShardOutcome {
  const container = overrides.container ?? 'amp'
  const tier = overrides.tier ?? 'fast'
  return {
    id: `${container}.${tier}`,
    container,
    tier,
    files: [],
    runtime: 'docker',
    image: 'amp:1.4',
    imageId: 'sha256:feedface',
    command: ['node', 'vitest.mjs', 'run'],
    startedAt: '2026-11-21T10:00:00.000Z',
    endedAt: '2026-11-21T10:00:05.000Z',
    durationMs: 5000,
    exitCode: 0,
    logPath: join(dirname(overrides.junitPath), 'output.log'),
    ...overrides,
  }
}
