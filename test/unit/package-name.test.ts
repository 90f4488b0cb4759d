// Users install the package by its own npm name; the README, the entry points and the schema say it.
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { repoRoot } from '../helpers/cli.js'

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string
  bin: Record<string, string>
  exports: Record<string, unknown>
}
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8')

test('the package is vitest-xtest, its command xtest, its entry points under that name', () => {
  expect(pkg.name).toBe('vitest-xtest')
  expect(Object.keys(pkg.bin)).toEqual(['xtest'])
  expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './config', './vitest', './reporter', './schema.json']))
})

test('the README installs it by that name and imports from it, never from the unrelated `xtest` package', () => {
  expect(readme).toContain(`npm install -D ${pkg.name} vitest`)
  expect(readme).not.toMatch(/npm install -D xtest\b/)
  expect(readme).not.toMatch(/from 'xtest(\/[a-z]+)?'/)
  expect(readme).toMatch(new RegExp(`from '${pkg.name}/config'`))
})

test('the JSON Schema names itself by the package', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'config/schema.json'), 'utf8')) as { $id: string }
  expect(schema.$id).toBe(`https://unpkg.com/${pkg.name}/config/schema.json`)
})
