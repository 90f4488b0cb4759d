import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { selectAffected } from '../../src/plan/affected.js'
import { describeChanged } from '../../src/plan/describe.js'
import { createImportReader } from '../../src/plan/io/import-graph.js'
import type { Shard } from '../../src/plan/types.js'

describe('--changed: which test files a change affects', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xtest-graph-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), text)
  }

  test('resolves like Node and TypeScript: .js → .ts, extensionless, index files; a deleted changed file still counts', () => {
    write('src/a.ts', "import './b.js'\nimport './lib'\nimport './gone'\nimport 'pkg'")
    write('src/b.ts', '')
    write('src/lib/index.ts', '')
    const read = createImportReader(dir, new Set(['src/gone.ts']))
    expect(read('src/a.ts')).toEqual(['src/b.ts', 'src/lib/index.ts', 'src/gone.ts'])
  })

  test('a test is selected when it or a file it imports (transitively, through cycles) changed', () => {
    const graph: Record<string, string[]> = {
      'a.test.ts': ['a.ts'],
      'a.ts': ['util.ts'],
      'util.ts': ['a.ts'],
      'b.test.ts': ['b.ts'],
      'b.ts': [],
      'opt/c.test.ts': [],
    }
    const shards: Shard[] = [
      { id: 'amp.fast', container: 'amp', tier: 'fast', files: ['a.test.ts', 'b.test.ts'] },
      { id: 'amp.slow', container: 'amp', tier: 'slow', files: ['a.test.ts'] },
      { id: 'opt.fast', container: 'opt', tier: 'fast', files: ['opt/c.test.ts'] },
    ]
    const select = (
      changed: string[],
      triggers = { containers: new Map<string, string>() } as Parameters<typeof selectAffected>[0]['triggers'],
    ) => selectAffected({ shards, changed: new Set(changed), triggers, importsOf: (file) => ({ files: graph[file] ?? [] }) })
    const byUtil = select(['util.ts'])
    expect(byUtil.shards.map((s) => [s.id, s.files])).toEqual([
      ['amp.fast', ['a.test.ts']],
      ['amp.slow', ['a.test.ts']],
    ])
    expect(byUtil.reasons).toEqual(new Map([['a.test.ts', 'imports util.ts']]))
    expect(select(['b.test.ts']).reasons).toEqual(new Map([['b.test.ts', 'changed']]))
    expect(select(['README.md']).shards).toEqual([])
    const opt = select([], { containers: new Map([['opt', 'its Dockerfile opt/Dockerfile changed']]) })
    expect(opt.shards.map((s) => s.id)).toEqual(['opt.fast'])
    expect(select([], { all: 'the xtest config changed', containers: new Map() }).shards.map((s) => s.id)).toEqual([
      'amp.fast',
      'amp.slow',
      'opt.fast',
    ])
  })
})

describe('describeChanged', () => {
  test('names the first import the scan could not follow when other reasons selected files too', () => {
    const reasons = new Map([
      ['a.test.ts', 'changed'],
      ['b.test.ts', 'the resolver could not follow an import: import() with a computed name at b.ts:3'],
      ['c.test.ts', "the resolver could not follow an import: could not resolve '@/x' at c.ts:1"],
    ])
    expect(describeChanged({ ref: 'HEAD', files: ['a.test.ts'], reasons }, 5)).toBe(
      '--changed HEAD: 1 changed file select 3 of 5 test files; 2 because the resolver could not follow an import (import() with a computed name at b.ts:3, …; xtest plan --changed --json lists each)',
    )
  })
})
