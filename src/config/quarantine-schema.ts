import { z } from 'zod'

// `quarantine: [{ test: 'src/a.test.ts > parser > reads dates', reason, issue?, until: '2026-12-31' }]`: a known
// failing test that still runs and is reported, but does not fail the run until `until` (see src/report/quarantine.ts).
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date 'YYYY-MM-DD'")
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), {
    message: "expected a real date 'YYYY-MM-DD'",
  })

const quarantineEntrySchema = z.strictObject({
  test: z
    .string()
    .max(4096)
    .refine((text) => /^\S.*? > .*\S/.test(text), {
      message: "expected '<file> > <test name>', e.g. 'src/a.test.ts > parser > reads dates'",
    })
    .describe("`<test file, relative to the config file> > <the test's full name>` (describe names joined with ` > `)."),
  reason: z.string().min(1).max(1000).describe('Why the test is quarantined; shown in its failure message and the summary.'),
  issue: z.string().min(1).max(1000).optional().describe('A link or id of the issue tracking the fix.'),
  until: isoDate.describe("The last day (UTC) the entry protects, YYYY-MM-DD; after it the test's failures fail the run again."),
})

export const quarantineSchema = z
  .array(quarantineEntrySchema)
  .max(10_000)
  .default([])
  .describe('Known failing tests that still run and are reported but do not fail the run, each until a date. @default []')
