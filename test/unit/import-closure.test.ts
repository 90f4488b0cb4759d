import { expect, test } from 'vitest'
import { importClosure } from '../../src/plan/io/import-graph.js'
import { random } from '../helpers/random.js'

// Over random graphs (cycles, self-imports, repeated starts): every reachable file once, the starts first, nothing
// else, never more than the limit (a prefix of the whole walk), each file's imports read at most once.
test('300 random graphs: the closure is what is reachable, once each, within the limit', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rand = random(seed)
    const n = 1 + rand(30)
    const edges = new Map(Array.from({ length: n }, (_, i) => [`f${i}`, Array.from({ length: rand(4) }, () => `f${rand(n)}`)]))
    const starts = Array.from({ length: 1 + rand(3) }, () => `f${rand(n)}`)
    const reachable = new Set(starts)
    for (const file of reachable) for (const next of edges.get(file)!) reachable.add(next)
    const reads: string[] = []
    const readImports = (file: string) => {
      reads.push(file)
      return edges.get(file)!
    }
    const all = [...importClosure(starts, readImports)]
    expect(new Set(all), `seed ${seed}`).toEqual(reachable)
    expect(all.length, `seed ${seed}`).toBe(reachable.size)
    expect(all.slice(0, new Set(starts).size), `seed ${seed}`).toEqual([...new Set(starts)])
    expect(reads.length, `seed ${seed}`).toBe(new Set(reads).size)

    const limit = 1 + rand(n)
    const bounded = [...importClosure(starts, (file) => edges.get(file)!, limit)]
    expect(bounded.length, `seed ${seed}`).toBeLessThanOrEqual(limit)
    expect(bounded, `seed ${seed}`).toEqual(all.slice(0, bounded.length))
  }
})
