import fg from 'fast-glob'

// Always left out, whatever the user's exclude says: never test files of this project.
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/.xtest/**']

/** Lists test files under `root` (POSIX, relative, sorted) matching include and not exclude. */
export async function discoverTestFiles(root: string, include: string[], exclude: string[]): Promise<string[]> {
  const files = await fg(include, {
    cwd: root,
    ignore: [...ALWAYS_EXCLUDED, ...exclude],
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: false,
    // One pattern cannot list a file twice; several may, and a Set is cheaper than fast-glob's own check.
    unique: false,
  })
  return (include.length > 1 ? [...new Set(files)] : files).sort()
}
