// The CLI as one bundle (dist/cli.js + dist/chunks/): each `xtest` command starts ~0.1 s sooner than from tsc's
// ~150 separate modules and their packages (bench/plan, bench/overhead). The library (dist/index.js) and the
// Vitest plugin (dist/vitest/, loaded inside shards) stay tsc's output.
export default {
  input: { cli: 'dist/cli.js' },
  platform: 'node',
  // Loaded only on rare paths, and heavy or native: ssh:// engines (dockerode), TypeScript configs (jiti); Istanbul's
  // reporters are found by a computed require() that a bundle cannot follow.
  external: [/^node:/, 'dockerode', 'jiti', /^vitest(\/|$)/, /^istanbul-/],
  output: { dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
}
