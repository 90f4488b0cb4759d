import micromatch from 'micromatch'
import { z } from 'zod'
import { parseDuration } from '../shared/duration.js'

// A glob is checked when the config is read, so a typo fails with its config path, not later.
const glob = z.string().min(1).refine((pattern) => {
  try { return micromatch.makeRe(pattern) instanceof RegExp && !/[[{(]$/.test(pattern) && balanced(pattern) } catch { return false }
}, { message: 'invalid glob pattern' })

function balanced(pattern: string): boolean {
  const pairs: Record<string, string> = { ']': '[', '}': '{', ')': '(' }
  const stack: string[] = []
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!
    if (ch === '\\') { i++; continue }
    if (ch === '[' || ch === '{' || ch === '(') stack.push(ch)
    else if (ch in pairs) { if (stack.pop() !== pairs[ch]) return false }
  }
  return stack.length === 0
}

const duration = z.union([z.string(), z.number()]).refine((v) => parseDuration(v) !== null, {
  message: "expected a duration such as '30s', '10m', '1h' or a number of milliseconds",
})

const containerName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'container names use a-z, 0-9, "-" and "_"')

export const buildSchema = z.strictObject({
  /** Build context directory, relative to the config file. @default '.' */
  context: z.string().default('.'),
  /** Dockerfile path, relative to the config file. @default '<context>/Dockerfile' */
  dockerfile: z.string().optional(),
  /** Build arguments. */
  args: z.record(z.string(), z.string()).default({}),
  /** Build target stage. */
  target: z.string().optional(),
})

export const containerSchema = z.strictObject({
  /** Image to run. Either `image` or `build` (or both: `build` tags its result with `image`). */
  image: z.string().min(1).optional(),
  /** Build the image from a Dockerfile on demand; tagged by a hash of the Dockerfile and context. */
  build: buildSchema.optional(),
  /** `docker` (default) or `local`: run as a plain subprocess on the host. */
  runtime: z.enum(['docker', 'local']).optional(),
  /** Globs (relative to the config file) of the test files this container takes. @default all files */
  include: z.array(glob).optional(),
  /** Globs of test files this container never takes. @default [] */
  exclude: z.array(glob).default([]),
  /** Working directory relative to the config file; Vitest runs there. @default '.' */
  workdir: z.string().default('.'),
  /** Modules this image promises: an importOrSkip guard for them fails instead of skipping. @default [] */
  provides: z.array(z.string().min(1)).default([]),
  /** Environment variables for the shard (values), or names to pass through from the host (`true`). */
  env: z.record(z.string(), z.union([z.string(), z.literal(true)])).default({}),
  /** Network mode for the container. @default 'none' */
  network: z.string().default('none'),
  /** CPU limit, e.g. 2 or 0.5. */
  cpus: z.number().positive().optional(),
  /** Memory limit, e.g. '4g', '512m'. */
  memory: z.string().regex(/^\d+(\.\d+)?[kmg]?b?$/i, "expected a size such as '512m' or '4g'").optional(),
  /** Extra bind mounts, `host:container[:ro]`, host paths relative to the config file. @default [] */
  volumes: z.array(z.string().regex(/^[^:]+:\/[^:]*(:(ro|rw))?$/, "expected 'host:/container[:ro|rw]'")).default([]),
  /** Engine for this container: a DOCKER_HOST-style URL (unix:///run/podman/podman.sock, tcp://host:2376). */
  host: z.string().optional(),
  /** Run as root inside the container instead of the invoking user. @default false */
  root: z.boolean().default(false),
}).refine((c) => c.runtime === 'local' || c.image !== undefined || c.build !== undefined, {
  message: "a container needs 'image' or 'build' (or runtime: 'local')",
})

export const tierSchema = z.strictObject({
  /** Budget for one shard of this tier; the shard is stopped past it. */
  timeout: duration,
  /** Per-test timeout declared on the tier's Vitest tag (not used for fast). */
  testTimeout: duration.optional(),
})

export const configSchema = z.strictObject({
  /** Globs of test files, relative to the config file. */
  include: z.array(glob).default(['**/*.{test,spec}.?(c|m)[jt]s?(x)']),
  /** Globs never treated as test files. */
  exclude: z.array(glob).default(['**/node_modules/**', '**/.git/**', '**/.xtest/**']),
  /** The containers, by name. */
  containers: z.record(containerName, containerSchema).refine((c) => Object.keys(c).length > 0, {
    message: 'at least one container is needed',
  }),
  /** Tier budgets. */
  tiers: z.strictObject({
    fast: tierSchema.default({ timeout: '10m' }),
    slow: tierSchema.default({ timeout: '1h', testTimeout: '30s' }),
    superslow: tierSchema.default({ timeout: '4h', testTimeout: '1h' }),
  }).default({ fast: { timeout: '10m' }, slow: { timeout: '1h', testTimeout: '30s' }, superslow: { timeout: '4h', testTimeout: '1h' } }),
  /** A test file routed to no container: 'error' (exit 2) or 'warn'. @default 'error' */
  unassigned: z.enum(['error', 'warn']).default('error'),
  /** A test file routed to two containers: 'error' or 'allow'. @default 'error' */
  overlap: z.enum(['error', 'allow']).default('error'),
  /** Where run folders go, relative to the config file. @default '.xtest' */
  outputDir: z.string().default('.xtest'),
})

/** What users write in xtest.config.*. */
export type XtestConfig = z.input<typeof configSchema>
/** The validated config with defaults filled in. */
export type ParsedConfig = z.output<typeof configSchema>
export type ContainerConfig = z.output<typeof containerSchema>
