// One timed `xtest run --all` of a cache benchmark's suite (local runtime, the cache on in `cacheDir`): prints the
// wall time and the run's result-cache line, and returns both (exit 2 when the run fails).
import { spawnSync } from 'node:child_process'

export function timeCachedRun({ cli, suite, cacheDir, label, width = 18 }) {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, [cli, 'run', '--all', '--runtime', 'local', '--progress', 'none'], {
    cwd: suite,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1', XTEST_CACHE: 'on', XTEST_CACHE_DIR: cacheDir },
  })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr)
    process.exit(2)
  }
  const line = /result cache: .*/.exec(result.stderr)?.[0] ?? ''
  console.log(`  ${label.padEnd(width)} ${(ms / 1000).toFixed(2).padStart(6)} s   ${line}`)
  return { ms, cached: Number(/result cache: (\d+) of/.exec(line)?.[1] ?? 0) }
}
