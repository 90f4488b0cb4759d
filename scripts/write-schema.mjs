// Regenerates config/schema.json and config/defaults.json from the zod schema (run after `npm run build`).
import fs from 'node:fs'
import { configDefaults, configJsonSchema } from '../dist/config/json-schema.js'

const write = (name, data) => fs.writeFileSync(new URL(`../config/${name}`, import.meta.url), `${JSON.stringify(data, null, 2)}\n`)
write('schema.json', configJsonSchema())
write('defaults.json', configDefaults())
