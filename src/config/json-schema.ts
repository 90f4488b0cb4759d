// The JSON Schema and defaults published for editors (config/*.json), made from the zod schema so they cannot drift.
import { z } from 'zod'
import { configSchema } from './schema.js'

/** The JSON Schema of what users write (for `xtest.config.json` editor completion). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  return { ...schema, title: 'xtest config', $id: 'https://unpkg.com/vitest-xtest/config/schema.json' }
}

/** The defaults xtest fills in (config/defaults.json): top-level keys, and `container` for each container. */
export function configDefaults(): Record<string, unknown> {
  const { containers, $schema: _, ...top } = configSchema.parse({ containers: { example: { image: 'example' } } })
  const { image: __, ...container } = containers.example!
  return { ...top, container }
}
