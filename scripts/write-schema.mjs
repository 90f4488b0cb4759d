// Regenerates config/schema.json from the zod schema (run after `npm run build`).
import fs from 'node:fs'
import { configJsonSchema } from '../dist/config/json-schema.js'

fs.writeFileSync(new URL('../config/schema.json', import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`)
