// The config's one definition: zod gives the types, the defaults, the checks and the docs of every field.
import micromatch from 'micromatch'
import { z } from 'zod'
import { RUNTIMES } from '../core/runtimes.js'
import { DEFAULT_TIERS } from '../core/tiers.js'
import { parseDuration } from '../shared/duration.js'
import { SIZE_PATTERN } from '../shared/size.js'
import { quarantineSchema } from './quarantine-schema.js'

// A glob is checked when the config is read, so a typo fails with its config path, not later.
const glob = z
  .string()
  .min(1)
  .refine(
    (pattern) => {
      try {
        return micromatch.makeRe(pattern) instanceof RegExp && !/[[{(]$/.test(pattern) && balanced(pattern)
      } catch {
        return false
      }
    },
    { message: 'invalid glob pattern' },
  )

function balanced(pattern: string): boolean {
  const pairs: Record<string, string> = { ']': '[', '}': '{', ')': '(' }
  const stack: string[] = []
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!
    if (ch === '\\') {
      i++
      continue
    }
    if (ch === '[' || ch === '{' || ch === '(') stack.push(ch)
    else if (ch in pairs) {
      if (stack.pop() !== pairs[ch]) return false
    }
  }
  return stack.length === 0
}

const duration = z.union([z.string(), z.number()]).refine((v) => parseDuration(v) !== null, {
  message: "expected a duration such as '30s', '10m', '1h' or a number of milliseconds",
})

const containerName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'container names use a-z, 0-9, "-" and "_"')

// Each option is described once, in its .describe(): config/schema.json (`npm run schema`) carries it to editors.
const buildSchema = z.strictObject({
  context: z.string().default('.').describe("Build context directory, relative to the config file. @default '.'"),
  dockerfile: z.string().optional().describe("Dockerfile path, relative to the config file. @default '<context>/Dockerfile'"),
  args: z.record(z.string(), z.string()).default({}).describe('Build arguments.'),
  target: z.string().optional().describe('Build target stage.'),
})

const containerSchema = z
  .strictObject({
    image: z
      .string()
      .min(1)
      .optional()
      .describe('Image to run. Either `image` or `build` (or both: `build` tags its result with `image`).'),
    build: buildSchema.optional().describe('Build the image from a Dockerfile on demand; tagged by a hash of the Dockerfile and context.'),
    runtime: z.enum(RUNTIMES).optional().describe('`docker` (default) or `local`: run as a plain subprocess on the host.'),
    include: z
      .array(glob)
      .optional()
      .describe('Globs (relative to the config file) of the test files this container takes. @default all files'),
    exclude: z.array(glob).default([]).describe('Globs of test files this container never takes. @default []'),
    workdir: z.string().default('.').describe("Working directory relative to the config file; Vitest runs there. @default '.'"),
    vitestConfig: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The Vitest config file its shards load (relative to the config file), as `vitest --config`; overrides the top-level one. @default the one Vitest finds in workdir',
      ),
    provides: z
      .array(z.string().min(1))
      .default([])
      .describe('Modules this image promises: an importOrSkip guard for them fails instead of skipping. @default []'),
    env: z
      .record(z.string(), z.union([z.string(), z.literal(true)]))
      .default({})
      .describe('Environment variables for the shard (values), or names to pass through from the host (`true`).'),
    network: z.string().default('none').describe("Network mode for the container. @default 'none'"),
    cpus: z.number().positive().optional().describe('CPU limit, e.g. 2 or 0.5.'),
    memory: z
      .string()
      .regex(SIZE_PATTERN, "expected a size such as '512m' or '4g'")
      .optional()
      .describe("Memory limit, e.g. '4g', '512m'."),
    volumes: z
      .array(z.string().regex(/^[^:]+:\/[^:]*(:(ro|rw))?$/, "expected 'host:/container[:ro|rw]'"))
      .default([])
      .describe('Extra bind mounts, `host:container[:ro]`, host paths relative to the config file. @default []'),
    host: z
      .string()
      .optional()
      .describe('Engine for this container: a DOCKER_HOST-style URL (unix:///run/podman/podman.sock, tcp://host:2376).'),
    slices: z
      .union([z.number().int().min(1), z.literal('auto')])
      .optional()
      .describe(
        "Split each tier of this container into N concurrent Vitest processes on one machine, balanced by recorded timings; 'auto' = min(cores, files, expected time / 5 s). @default 1",
      ),
    root: z.boolean().default(false).describe('Run as root inside the container instead of the invoking user. @default false'),
    repo: z
      .enum(['auto', 'read-only', 'writable'])
      .default('auto')
      .describe(
        "How shards see the repository: read-only ('auto', the default, is read-only too, in CI and locally) or 'writable' (an opt-in). .git, node_modules, .husky, package.json, .envrc, .npmrc, the xtest config and its imports and git's hooks folder are read-only always. @default 'auto'",
      ),
    writable: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Folders (relative to the config file, inside the repo; made if missing) or globs of existing folders (e.g. every `__snapshots__` folder) that tests may write. @default []',
      ),
    pids: z
      .number()
      .int()
      .min(16)
      .default(1024)
      .describe('Most processes (and threads) the container may hold: caps fork bombs. @default 1024'),
    cache: z
      .union([
        z.literal(false),
        z.strictObject({
          inputs: z
            .array(glob)
            .default([])
            .describe(
              'Files the tests read with fs (fixtures): globs relative to the config file; their names and bytes are part of every key of this container. @default []',
            ),
        }),
      ])
      .default({ inputs: [] })
      .describe(
        "The result cache (docs/cache.md): `false` never reuses nor stores this container's results; `inputs` are globs (relative to the config file) of files its tests read with fs, part of every key. @default { inputs: [] }",
      ),
    unsafe: z
      .strictObject({
        engineSocket: z
          .boolean()
          .default(false)
          .describe('Allow binding the engine socket (docker.sock, podman.sock): that is root on the host. @default false'),
      })
      .default({ engineSocket: false })
      .describe('Opt-ins that weaken the sandbox; each says what it gives the test code.'),
  })
  .refine((c) => c.runtime === 'local' || c.image !== undefined || c.build !== undefined, {
    message: "a container needs 'image' or 'build' (or runtime: 'local')",
  })

const tierSchema = z.strictObject({
  timeout: duration.describe('Budget for one shard of this tier; the shard is stopped past it.'),
  testTimeout: duration.optional().describe("Per-test timeout declared on the tier's Vitest tag (not used for fast)."),
})

export const configSchema = z.strictObject({
  $schema: z.string().optional().describe('JSON Schema reference, for editors (xtest.config.json).'),
  include: z.array(glob).default(['**/*.{test,spec}.?(c|m)[jt]s?(x)']).describe('Globs of test files, relative to the config file.'),
  exclude: z.array(glob).default(['**/node_modules/**', '**/.git/**', '**/.xtest/**']).describe('Globs never treated as test files.'),
  containers: z
    .record(containerName, containerSchema)
    .refine((c) => Object.keys(c).length > 0, {
      message: 'at least one container is needed',
    })
    .describe('The containers, by name.'),
  tiers: z
    .strictObject({
      fast: tierSchema.default(DEFAULT_TIERS.fast),
      slow: tierSchema.default(DEFAULT_TIERS.slow),
      superslow: tierSchema.default(DEFAULT_TIERS.superslow),
    })
    .default(DEFAULT_TIERS)
    .describe('Tier budgets: shard timeout and per-test timeout of each tier.'),
  unassigned: z
    .enum(['error', 'warn'])
    .default('error')
    .describe("A test file routed to no container: 'error' (exit 2) or 'warn'. @default 'error'"),
  overlap: z
    .enum(['error', 'allow'])
    .default('error')
    .describe("A test file routed to two containers: 'error' or 'allow'. @default 'error'"),
  limits: z
    .strictObject({
      gitTimeout: duration.default('2m').describe("Longest one `git` call may take (--changed). @default '2m'"),
      buildTimeout: duration.default('1h').describe("Longest one image build may take. @default '1h'"),
      shardOutput: z
        .string()
        .regex(SIZE_PATTERN, "expected a size such as '512m' or '1g'")
        .default('1g')
        .describe("Most bytes a shard may write into its results folder (/xtest/out); past it the shard is stopped. @default '1g'"),
    })
    .default({ gitTimeout: '2m', buildTimeout: '1h', shardOutput: '1g' })
    .describe('Time limits of the work around the tests: a hanging `git` (for --changed) or image build ends with exit 3.'),
  vitestConfig: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The Vitest config file every container's shards load (relative to the config file), as `vitest --config`. @default the one Vitest finds in each workdir",
    ),
  outputDir: z.string().default('.xtest').describe("Where run folders go, relative to the config file. @default '.xtest'"),
  coverage: z
    .boolean()
    .default(false)
    .describe('Collect coverage in every shard and merge it into one report (as `xtest run --coverage`). @default false'),
  keepRuns: z
    .union([z.number().int().min(1).max(100_000), z.literal(false)])
    .default(10)
    .describe(
      'Run folders kept in <outputDir>/runs (the newest; older ones are removed after each run unless their run is still going), or false to keep all. @default 10',
    ),
  quarantine: quarantineSchema,
})

/** What users write in xtest.config.*. */
export type XtestConfig = z.input<typeof configSchema>
/** The validated config with defaults filled in. */
export type ParsedConfig = z.output<typeof configSchema>
export type ContainerConfig = z.output<typeof containerSchema>
