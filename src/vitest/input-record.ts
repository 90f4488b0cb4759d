// Inside a shard's worker: notes what each test file really depends on beyond its modules, for the host's result
// cache. Files read, listed or stat-ed through node:fs (sync, callback, promises, streams), and what xtest cannot see
// into (a spawned process, a Worker, a native addon), with the place in the test that did it. It only records: every
// patched function calls the original with the same arguments and returns what it returns. Node built-ins only.
import childProcess from 'node:child_process'
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import workerThreads from 'node:worker_threads'

/** One test file's record: absolute paths by kind, and the reasons it cannot be cached (at most a few). */
export interface InputRecord {
  reads: string[]
  lists: string[]
  stats: string[]
  opaque: string[]
}

interface FileSets {
  reads: Set<string>
  lists: Set<string>
  stats: Set<string>
  opaque: Set<string>
}

interface RecorderState {
  byFile: Map<string, FileSets>
  /** Everything since the worker started: with `isolate: false` a file's results may depend on what ran before it. */
  all: FileSets
  /** Files and folders this worker created: reading them back is the test's own data, not an input. */
  created: Set<string>
  /** In Vitest's main process: the globalSetup files running now (empty between their runs). */
  mainOnly?: Set<string>
}

const STATE = Symbol.for('xtest.inputRecorder')
const MAX_PATHS = 20_000
const MAX_OPAQUE = 5

const newSets = (): FileSets => ({ reads: new Set(), lists: new Set(), stats: new Set(), opaque: new Set() })
const currentFile = (): string | undefined =>
  (globalThis as { __vitest_worker__?: { filepath?: string } }).__vitest_worker__?.filepath ?? undefined

function stateOf(): RecorderState | undefined {
  return (globalThis as Record<symbol, RecorderState | undefined>)[STATE]
}

function note(kind: keyof FileSets, value: string): void {
  const state = stateOf()
  if (!state) return
  // In Vitest's main process only what globalSetup code does, while it runs (its own frames on the stack).
  if (state.mainOnly !== undefined) {
    const stack = state.mainOnly.size > 0 ? (new Error().stack ?? '') : ''
    if (![...state.mainOnly].some((file) => stack.includes(file))) return
  }
  const file = currentFile() ?? ''
  let sets = state.byFile.get(file)
  if (!sets) state.byFile.set(file, (sets = newSets()))
  for (const target of [sets, state.all]) {
    const set = target[kind]
    if (set.size < (kind === 'opaque' ? MAX_OPAQUE : MAX_PATHS)) set.add(value)
    else if (kind !== 'opaque') target.opaque.add('it touched more files than xtest records')
  }
}

function toPath(value: unknown): string | undefined {
  try {
    if (typeof value === 'string') return path.resolve(value)
    if (value instanceof URL) return value.protocol === 'file:' ? fileURLToPath(value) : undefined
    if (Buffer.isBuffer(value)) return path.resolve(value.toString('utf8'))
  } catch {
    /* not a path we can name */
  }
  return undefined
}

function isCreated(file: string, created: Set<string>): boolean {
  // Most test files create nothing: no walk up the folders for every fs call Vitest itself makes.
  if (created.size === 0) return false
  for (let dir = file; ; dir = path.dirname(dir)) {
    if (created.has(dir)) return true
    if (path.dirname(dir) === dir) return false
  }
}

function notePath(kind: 'reads' | 'lists' | 'stats', value: unknown): void {
  const state = stateOf()
  if (!state || state.mainOnly?.size === 0) return
  const file = toPath(value)
  if (file === undefined || isCreated(file, state.created)) return
  note(kind, file)
}

/** Where in the test code a call happened: the first stack frame outside node_modules, node: and xtest. */
function callSite(): string {
  const lines = (new Error().stack ?? '').split('\n').slice(2)
  const self = fileURLToPath(import.meta.url)
  for (const line of lines) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?\s*$/.exec(line)
    if (!match) continue
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!
    if (file === self || file.includes('/node_modules/') || file.includes('/vitest-xtest/dist/')) continue
    return ` at ${path.relative(process.cwd(), file)}:${match[2]}`
  }
  return ''
}

const noteOpaque = (what: string): void => note('opaque', `${what}${callSite()}`)

type AnyFn = (...args: unknown[]) => unknown

function wrap(
  target: Record<string, unknown>,
  name: string,
  before: (args: unknown[]) => void,
  after?: (result: unknown, args: unknown[]) => void,
): void {
  const original = target[name]
  if (typeof original !== 'function') return
  const wrapped = function (this: unknown, ...args: unknown[]) {
    try {
      before(args)
    } catch {
      /* recording never changes behaviour */
    }
    const result = (original as AnyFn).apply(this, args)
    if (after)
      try {
        after(result, args)
      } catch {
        /* as above */
      }
    return result
  }
  Object.defineProperties(wrapped, Object.getOwnPropertyDescriptors(original))
  target[name] = wrapped
}

const WRITE_FLAGS = /[wa+]/

function patchFs(state: RecorderState): void {
  const sync = fs as unknown as Record<string, unknown>
  const promises = fs.promises as unknown as Record<string, unknown>
  const first = (kind: 'reads' | 'lists' | 'stats') => (args: unknown[]) => notePath(kind, args[0])
  const created = (value: unknown) => {
    const file = toPath(value)
    if (file !== undefined) state.created.add(file)
  }
  for (const target of [sync, promises]) {
    for (const name of ['readFile', 'readFileSync']) wrap(target, name, first('reads'))
    for (const name of ['readdir', 'readdirSync', 'opendir', 'opendirSync']) wrap(target, name, first('lists'))
    for (const name of ['stat', 'statSync', 'lstat', 'lstatSync', 'exists', 'existsSync', 'access', 'accessSync'])
      wrap(target, name, first('stats'))
    // open with a read flag reads; with a write flag it creates (later reads of it are the test's own data).
    for (const name of ['open', 'openSync'])
      wrap(target, name, (args) => {
        const flags = typeof args[1] === 'string' ? args[1] : 'r'
        if (WRITE_FLAGS.test(flags)) created(args[0])
        else notePath('reads', args[0])
      })
    for (const name of ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync']) wrap(target, name, (args) => created(args[0]))
    for (const name of ['copyFile', 'copyFileSync', 'cp', 'cpSync', 'rename', 'renameSync'])
      wrap(target, name, (args) => {
        notePath('reads', args[0])
        created(args[1])
      })
    // mkdtemp returns the new folder (a promise for fs.promises); mkdir with `recursive` the first folder it made.
    wrap(
      target,
      'mkdtempSync',
      () => undefined,
      (result) => created(result),
    )
    wrap(
      target,
      'mkdirSync',
      () => undefined,
      (result, args) => created(result ?? args[0]),
    )
  }
  wrap(
    promises,
    'mkdtemp',
    () => undefined,
    (result) => void (result as Promise<unknown>).then(created, () => undefined),
  )
  wrap(
    promises,
    'mkdir',
    () => undefined,
    (result, args) =>
      void (result as Promise<unknown>).then(
        (made) => created(made ?? args[0]),
        () => undefined,
      ),
  )
  wrap(sync, 'mkdtemp', (args) => {
    const callback = args[args.length - 1]
    if (typeof callback === 'function')
      args[args.length - 1] = (error: unknown, dir: unknown) => {
        if (!error) created(dir)
        ;(callback as AnyFn)(error, dir)
      }
  })
  wrap(sync, 'createReadStream', first('reads'))
  wrap(sync, 'createWriteStream', (args) => created(args[0]))
}

function patchOpaque(): void {
  const child = childProcess as unknown as Record<string, unknown>
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'])
    wrap(child, name, () => noteOpaque('spawns a process'))
  const threads = workerThreads as unknown as Record<string, unknown>
  const Worker = threads.Worker as (new (...args: unknown[]) => object) | undefined
  if (typeof Worker === 'function')
    threads.Worker = class extends Worker {
      constructor(...args: unknown[]) {
        noteOpaque('starts a Worker')
        super(...args)
      }
    }
  const proc = process as unknown as Record<string, unknown>
  wrap(proc, 'dlopen', (args) => noteOpaque(`loads a native addon ${path.basename(String((args[1] as string) ?? ''))}`))
}

/**
 * Patches node:fs, child_process, worker_threads and process.dlopen once per worker (module graphs come and go). In
 * Vitest's main process (`main`), it records only while a project's globalSetup runs, what that code does itself.
 */
export function installInputRecorder(main?: { projects: ReadonlyArray<GlobalSetupProject> }): void {
  const global = globalThis as Record<symbol, RecorderState | undefined>
  if (global[STATE]) return
  const state: RecorderState = { byFile: new Map(), all: newSets(), created: new Set(), ...(main && { mainOnly: new Set<string>() }) }
  for (const project of main?.projects ?? []) watchGlobalSetup(project, state.mainOnly!)
  global[STATE] = state
  patchFs(state)
  patchOpaque()
  // ESM named imports of built-ins (`import { readFileSync } from 'node:fs'`) see the patched functions too.
  syncBuiltinESMExports()
}

/** What a test file depended on so far: its own record, or with `isolate: false` everything the worker did. */
export function inputRecordOf(file: string, isolated: boolean): InputRecord | undefined {
  const state = stateOf()
  if (!state) return undefined
  // Events the worker could not attribute (no current file known) belong to every file: a record never shrinks.
  const parts = isolated ? [state.byFile.get(file), state.byFile.get('')] : [state.all]
  const sorted = (kind: keyof FileSets) => [...new Set(parts.flatMap((sets) => [...(sets?.[kind] ?? [])]))].sort()
  return { reads: sorted('reads'), lists: sorted('lists'), stats: sorted('stats'), opaque: sorted('opaque') }
}

export interface GlobalSetupProject {
  config: { globalSetup?: unknown }
  _initializeGlobalSetup?: () => Promise<void>
}

// Vitest 4.1 and 5 run a project's globalSetup files in `_initializeGlobalSetup`; while it runs, their frames mark
// what they do. Without that method nothing is recorded there, and the host still keys their files and imports.
function watchGlobalSetup(project: GlobalSetupProject, running: Set<string>): void {
  const original = project._initializeGlobalSetup
  const files = project.config.globalSetup
  if (typeof original !== 'function' || !Array.isArray(files) || files.length === 0) return
  project._initializeGlobalSetup = async function (this: unknown) {
    for (const file of files) if (typeof file === 'string') running.add(file)
    try {
      return await original.call(this)
    } finally {
      running.clear()
    }
  }
}

/** What globalSetup code did in the main process (reads, spawned processes, ...): an input of every file. */
export const globalSetupRecord = (): InputRecord | undefined => inputRecordOf('', true)
