// A JavaScript or TypeScript config is code: it may loop forever, never settle, or call process.exit. It is
// imported in a worker thread with a time limit, so each of those is exit 2 naming the config, never a hang or a
// silent exit. (JSON configs are data and are parsed here.)
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { type Failure, fail, type Ok } from '../core/result.js'
import { parseDuration } from '../shared/duration.js'

/** How long a config may take to load (XTEST_CONFIG_TIMEOUT overrides it, e.g. '30s'). */
const CONFIG_LOAD_TIMEOUT_MS = 20_000

/** The config's default export, or one line saying why not (a syntax error also names where: `file:line:col`). */
export type ConfigImport = Ok<unknown> | (Failure & { location?: string })

// Runs in the worker (CommonJS, so `require` is there): imports the file, posts its default export back.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { pathToFileURL } = require('node:url')
const firstLine = (error) => (error instanceof Error ? error.message : String(error)).split('\\n')[0].trim()
const locate = (error) => /(\\S+?:\\d+:\\d+)\\s*$/m.exec(error instanceof Error ? error.message + '\\n' + (error.stack || '') : '')?.[1]
const exit = process.exit.bind(process)
process.exit = (code) => {
  parentPort.postMessage({ ok: false, message: 'called process.exit(' + (code ?? '') + ') while loading' })
  exit(code)
}
;(async () => {
  const { file, cacheDir, jitiPath } = workerData
  let value
  if (/\\.m?js$/.test(file)) {
    const mod = await import(pathToFileURL(file).href)
    value = mod.default ?? mod
  } else {
    const { createJiti } = require(jitiPath)
    const jiti = createJiti(file, { moduleCache: false, fsCache: cacheDir || false, interopDefault: true })
    value = await jiti.import(file, { default: true })
  }
  try {
    parentPort.postMessage({ ok: true, value })
  } catch (error) {
    parentPort.postMessage({ ok: false, message: 'its default export is not plain data (' + firstLine(error) + ')' })
  }
})().catch((error) => parentPort.postMessage({ ok: false, message: firstLine(error), location: locate(error) }))
`

/** Imports a .ts/.mts/.js/.mjs config in a worker; resolves to its default export or one line of problem. */
export function importConfigInWorker(file: string, cacheDir: string | false, env: NodeJS.ProcessEnv = process.env): Promise<ConfigImport> {
  const timeoutMs = (env.XTEST_CONFIG_TIMEOUT && parseDuration(env.XTEST_CONFIG_TIMEOUT)) || CONFIG_LOAD_TIMEOUT_MS
  const jitiPath = createRequire(import.meta.url).resolve('jiti')
  return new Promise((resolve) => {
    let settled = false
    const settle = (result: ConfigImport) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void worker.terminate()
      resolve(result)
    }
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, cacheDir, jitiPath }, stdout: false, stderr: false })
    const timer = setTimeout(
      () => settle(fail(`did not finish loading in ${timeoutMs / 1000} s (a loop, or a promise that never settles?)`)),
      timeoutMs,
    )
    worker.on('message', (message: ConfigImport) => settle(message))
    worker.on('error', (error) => settle(fail(error.message.split('\n')[0]!)))
    // Ended without a word: its default export waits on something that can never happen (nothing left to run).
    worker.on('exit', (code) =>
      settle(
        fail(code === 0 ? 'never finished loading (it waits on a promise that can never settle)' : `its loader ended with code ${code}`),
      ),
    )
  })
}
