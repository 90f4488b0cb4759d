// Each config option is described once, in the zod schema's .describe(); config/schema.json is generated from it
// (config.test.ts checks that). README's config reference is the prose for people: it must name every option the
// schema has, so a new option cannot ship undocumented.
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { configJsonSchema } from '../../src/config/json-schema.js'
import { repoRoot } from '../helpers/cli.js'

interface Node {
  properties?: Record<string, Node>
  additionalProperties?: Node
  description?: string
}

const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
const reference = readme.slice(readme.indexOf('## Config reference'), readme.indexOf('\n## ', readme.indexOf('## Config reference') + 1))
const schema = configJsonSchema() as Node
const container = schema.properties!.containers!.additionalProperties!

test('the schema describes every option once, in its .describe()', () => {
  const undescribed = [
    ...Object.entries(schema.properties!).map(([key, node]) => [key, node] as const),
    ...Object.entries(container.properties!).map(([key, node]) => [`containers.<name>.${key}`, node] as const),
  ].filter(([, node]) => !node.description)
  expect(undescribed.map(([key]) => key)).toEqual([])
})

test("README's config reference names every top-level and container option of the schema", () => {
  const options = [
    ...Object.keys(schema.properties!).filter((key) => key !== 'containers'),
    ...Object.keys(schema.properties!.limits!.properties!).map((key) => `limits.${key}`),
    ...Object.keys(container.properties!).map((key) => `containers.<name>.${key}`),
  ]
  // A row may name two options at once (`containers.<name>.include` / `exclude`, `vitestConfig, containers.<name>.vitestConfig`).
  const missing = options.filter((option) => {
    const last = option.slice(option.lastIndexOf('.') + 1)
    return !reference.includes(`\`${option}\``) && !reference.includes(`\`${option}.`) && !reference.includes(`/ \`${last}\``)
  })
  expect(missing).toEqual([])
})

test("every row of README's config reference is inside the table", () => {
  const lines = reference.split('\n')
  const first = lines.findIndex((line) => line.startsWith('| key |'))
  const end = lines.findIndex((line, index) => index > first && !line.startsWith('|'))
  expect(lines.slice(end).filter((line) => line.startsWith('| `'))).toEqual([])
})
