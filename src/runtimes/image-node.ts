// The Node version inside an image, asked once per image id: a tiny container runs `node --version` (no network, no
// capabilities, read-only, the shard's user) and the answer is remembered in a file, so that a run can refuse an
// image whose Node cannot run the installed Vitest before any shard starts.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readRegularFile, writeFreshFile } from '../core/safe-fs.js'
import { withTimeout } from '../shared/with-timeout.js'
import { demuxFrames } from './docker-calls.js'
import type { EngineClient } from './engine-client.js'

const VERSION = /^v\d+\.\d+\.\d+$/
const PROBE_MS = 30_000

/** Remembered answers: image id → `vX.Y.Z`, or '' for an image without a working `node`. Unreadable or odd → empty. */
function readKnown(file: string): Record<string, string> {
  const read = readRegularFile(file, 1024 * 1024)
  if (!read.ok) return {}
  try {
    const data = JSON.parse(read.value.toString('utf8')) as unknown
    if (typeof data !== 'object' || data === null) return {}
    return Object.fromEntries(
      Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string' && (e[1] === '' || VERSION.test(e[1]))),
    )
  } catch {
    return {}
  }
}

/** `vX.Y.Z` of the image's `node`, or null when the image has none that answers; remembered in `knownFile`. */
export async function imageNodeVersion(
  engine: EngineClient,
  imageId: string,
  user: { uid: number; gid: number },
  knownFile: string,
): Promise<string | null> {
  const known = readKnown(knownFile)
  if (imageId in known) return known[imageId] || null
  const version = await probe(engine, imageId, user)
  // An engine that failed is not an answer: only what the image said is remembered.
  if (version !== undefined) {
    try {
      fs.mkdirSync(path.dirname(knownFile), { recursive: true })
      writeFreshFile(knownFile, `${JSON.stringify({ ...known, [imageId]: version ?? '' }, null, 2)}\n`)
    } catch {
      // Not remembered: asked again next run.
    }
  }
  return version ?? null
}

// undefined: the engine could not run it (nothing learnt); null: the image's `node` did not answer with a version.
async function probe(engine: EngineClient, imageId: string, user: { uid: number; gid: number }): Promise<string | null | undefined> {
  let id: string | undefined
  try {
    id = await engine.createContainer({
      Image: imageId,
      Cmd: ['node', '--version'],
      WorkingDir: '/',
      Env: [],
      User: `${user.uid}:${user.gid}`,
      // No xtest.pid (that names a run's shards); a sweep removes a probe left behind once its deadline has passed.
      Labels: {
        'xtest.run': `probe-${process.pid}-${Date.now()}`,
        'xtest.host': os.hostname(),
        'xtest.deadline': String(Math.ceil((Date.now() + PROBE_MS) / 1000) + 60),
        'xtest.probe': 'node',
      },
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      HostConfig: {
        Binds: [],
        NetworkMode: 'none',
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Init: true,
        PidsLimit: 32,
        Tmpfs: {},
        LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } },
        AutoRemove: false,
        ReadonlyRootfs: true,
        Memory: 256 * 1024 * 1024,
        MemorySwap: 256 * 1024 * 1024,
      },
    })
    const stream = await engine.attachContainer(id)
    let output = ''
    stream.on(
      'data',
      demuxFrames((kind, payload) => {
        if (kind === 1 && output.length < 200) output += payload.toString('utf8')
      }),
    )
    const ended = new Promise<void>((resolve) =>
      stream
        .on('end', resolve)
        .on('close', resolve)
        .on('error', () => resolve()),
    )
    await engine.startContainer(id)
    const { StatusCode } = await withTimeout(engine.waitContainer(id), PROBE_MS, 'node --version did not end')
    await withTimeout(ended, 2_000, '').catch(() => {})
    const version = output.trim()
    return StatusCode === 0 && VERSION.test(version) ? version : null
  } catch (error) {
    // `node` not found in the image: the engine refuses to start it (exec: "node": executable file not found).
    return /executable file not found|no such file or directory/i.test((error as Error).message) ? null : undefined
  } finally {
    if (id) await engine.removeContainer(id).catch(() => {})
  }
}
