import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { ciVariableNames } from '../../src/core/ci.js'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const cliPath = path.join(repoRoot, 'dist/cli.js')
/** The npm name of this package (read from package.json: installs and links follow it when it changes). */
export const packageName = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string }).name
export const fixture = (name: string) => path.join(repoRoot, 'fixtures', name)
/** The JUnit schema CI systems accept (Jenkins xUnit's junit-10.xsd, MIT), vendored in test/schema/. */
export const junitXsd = path.join(repoRoot, 'test/schema/junit-10.xsd')

export interface CliResult {
  stdout: string
  stderr: string
  exitCode: number
}

/** Runs the built `xtest` binary as a child process, as a user would, in plain-output mode. */
export async function runXtest(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeout?: number },
): Promise<CliResult> {
  const result = await execa('node', [cliPath, ...args], {
    cwd: options.cwd,
    // The CI system these tests may run on (GitHub Actions...) would change what xtest prints: only `options.env` says.
    env: { ...hostEnvWithoutCi(), NO_COLOR: '1', CI: 'true', ...options.env },
    extendEnv: false,
    reject: false,
    timeout: options.timeout ?? 120_000,
  })
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 }
}

const ciNames = new Set(ciVariableNames())

/** process.env without what would tell xtest it runs on a CI system (CI itself is set by the caller). */
export function hostEnvWithoutCi(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !ciNames.has(entry[0])),
  )
}
