import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { ciVariableNames, ciVendor, isCI } from '../../src/core/ci.js'
import { repoRoot } from '../helpers/cli.js'

// CI is told from ci-info's maintained list, evaluated against the env xtest is given (not ci-info's process.env).
const vendors = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/ci-info/vendors.json'), 'utf8')) as {
  name: string
  env: unknown
}[]

test('every CI system of the list whose variables are set counts as CI, CI=false or not', () => {
  const simple = vendors.filter(
    (vendor) => typeof vendor.env === 'string' || (Array.isArray(vendor.env) && vendor.env.every((each) => typeof each === 'string')),
  )
  expect(simple.length).toBeGreaterThan(30)
  for (const vendor of simple) {
    const env = Object.fromEntries([vendor.env as string | string[]].flat().map((name) => [name, 'x']))
    expect([isCI(env), isCI({ ...env, CI: 'false' }), ciVendor(env) !== undefined], vendor.name).toEqual([true, true, true])
  }
  expect(ciVendor({ GITHUB_ACTIONS: 'true' })).toEqual({ name: 'GitHub Actions', id: 'GITHUB_ACTIONS' })
  expect(ciVendor({ TF_BUILD: 'True' })?.id).toBe('AZURE_PIPELINES')
  expect(ciVendor({ TEAMCITY_VERSION: '1' })?.id).toBe('TEAMCITY')
  expect(ciVendor({ JENKINS_URL: 'x' })).toBeUndefined() // Jenkins needs BUILD_ID too
  expect(ciVendor({ HOME: '/h', CI: 'true' })).toBeUndefined()
})

test('the variable names cover GitHub, Azure, Jenkins and TeamCity', () => {
  expect(ciVariableNames()).toEqual(
    expect.arrayContaining(['CI', 'GITHUB_ACTIONS', 'TF_BUILD', 'JENKINS_URL', 'BUILD_ID', 'TEAMCITY_VERSION']),
  )
})
