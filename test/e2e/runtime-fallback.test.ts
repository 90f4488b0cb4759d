import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { isCI } from '../../src/core/ci.js'
import { allowlistedHostEnv } from '../../src/runtimes/local-env.js'
import { runXtest } from '../helpers/cli.js'
import { useTempFixtures } from '../helpers/temp-fixture.js'

// `--runtime auto` with the engine down ran untrusted tests on the host with the full
// environment (a GITHUB_TOKEN was readable), in CI too, exit 0.
const copyFixture = useTempFixtures()
const engineDown = { DOCKER_HOST: 'unix:///nonexistent.sock' }
const secrets = { GITHUB_TOKEN: 'ghp_host_secret', NPM_TOKEN: 'npm_host_secret', XTEST_SECRET_PROBE: 'probe' }

function project(env?: Record<string, true | string>): string {
  const dir = copyFixture('config-checks')
  if (env) {
    const file = path.join(dir, 'xtest.config.json')
    const config = JSON.parse(fs.readFileSync(file, 'utf8'))
    config.containers.amp.env = env
    fs.writeFileSync(file, JSON.stringify(config))
  }
  return dir
}

describe('--runtime auto with the engine down', () => {
  test.each(['true', '1', 'yes'])('with CI=%s: exit 3, one line, nothing runs', async (ci) => {
    const dir = project()
    const result = await runXtest(['run'], { cwd: dir, env: { ...engineDown, ...secrets, CI: ci } })
    expect(result.exitCode, result.stderr).toBe(3)
    expect(result.stderr.trim()).toMatch(
      /^xtest: no container engine answered for amp \(unix:\/\/\/nonexistent\.sock: .*\); this is a CI job \(CI is set\), so xtest will not run the tests on the host without the sandbox \(start the engine, or choose the host with --runtime local\)$/,
    )
    expect(result.stdout).toBe('')
    expect(fs.existsSync(path.join(dir, '.xtest')), 'no run folder').toBe(false)
  })

  // CI systems that do not set CI (Jenkins, Azure Pipelines, TeamCity), and GitHub Actions even when told CI=false.
  test.each([
    ['GitHub Actions', { GITHUB_ACTIONS: 'true', CI: '' }],
    ['GitHub Actions', { GITHUB_ACTIONS: 'true', CI: 'false' }],
    ['Azure Pipelines', { TF_BUILD: 'True', CI: '' }],
    ['Jenkins', { JENKINS_URL: 'http://jenkins/', BUILD_ID: '7', CI: '' }],
    ['TeamCity', { TEAMCITY_VERSION: '2025.1', CI: '' }],
    ['GitLab CI', { GITLAB_CI: 'true', CI: '' }],
    ['Buildkite', { BUILDKITE: 'true', CI: '' }],
  ])('on %s (%j): exit 3, nothing runs on the host', async (name, ci) => {
    const dir = project()
    const result = await runXtest(['run'], { cwd: dir, env: { ...engineDown, ...secrets, ...ci } })
    expect(result.exitCode, result.stderr).toBe(3)
    expect(result.stderr).toContain(`this is a CI job (${name})`)
    expect(result.stdout).toBe('')
    expect(fs.existsSync(path.join(dir, '.xtest')), 'no run folder').toBe(false)
  })

  test.each(['', 'false', '0'])('locally (CI=%j): a loud warning, and the tests see an allowlisted environment', async (ci) => {
    const dir = project({ PASSED_THROUGH: true, EXPECT_PASSED: 'yes' })
    const result = await runXtest(['run'], { cwd: dir, env: { ...engineDown, ...secrets, CI: ci, PASSED_THROUGH: 'yes' } })
    expect(result.stderr).toMatch(
      /^xtest: WARNING: no container engine answered for amp \(unix:\/\/\/nonexistent\.sock: .*\): running the tests on THIS HOST, outside the container sandbox/m,
    )
    expect(result.exitCode, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(/2 passed/)
  })
})

test('--runtime local gets the same allowlist, and no warning', async () => {
  const dir = project({ PASSED_THROUGH: true, EXPECT_PASSED: 'yes' })
  const result = await runXtest(['run', '--runtime', 'local'], { cwd: dir, env: { ...secrets, PASSED_THROUGH: 'yes' } })
  expect(result.exitCode, result.stdout + result.stderr).toBe(0)
  expect(result.stderr).not.toMatch(/WARNING/)
})

test('the allowlist and what counts as CI', () => {
  const allowed = { PATH: '/bin', HOME: '/h', LC_ALL: 'C', LANG: 'C.UTF-8', TZ: 'UTC', CI: 'true', NODE_OPTIONS: '--require ./.pnp.cjs' }
  const env = allowlistedHostEnv({
    ...allowed,
    GITHUB_TOKEN: 't',
    AWS_SECRET_ACCESS_KEY: 's',
    SSH_AUTH_SOCK: '/tmp/agent',
    DOCKER_HOST: 'unix:///x',
  })
  expect(env).toEqual(allowed)
  expect([undefined, '', 'false', 'FALSE', '0'].map((CI) => isCI({ CI }))).toEqual([false, false, false, false, false])
  expect(['true', '1', 'yes', 'woodpecker'].map((CI) => isCI({ CI }))).toEqual([true, true, true, true])
  // Any CI system ci-info knows counts, whatever CI says; CI=false alone, or with nothing of a CI system, is local.
  for (const env of [{ GITHUB_ACTIONS: 'true' }, { TF_BUILD: 'True' }, { JENKINS_URL: 'x', BUILD_ID: '1' }, { TEAMCITY_VERSION: '1' }])
    expect([isCI(env), isCI({ ...env, CI: 'false' }), isCI({ ...env, CI: '0' })], JSON.stringify(env)).toEqual([true, true, true])
  expect([isCI({ BUILD_NUMBER: '4' }), isCI({ BUILD_NUMBER: '4', CI: 'false' }), isCI({ HOME: '/h', CI: 'false' })]).toEqual([
    true,
    false,
    false,
  ])
})
