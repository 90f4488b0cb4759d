// Config errors must name the culprit as users wrote it (`containers.opt.include[0]`), in one line.
import path from 'node:path'

/** `containers.opt.include[0]`: a config path as users write it, for one-line errors. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = ''
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(String(segment))) out += out ? `.${String(segment)}` : String(segment)
    else out += `[${JSON.stringify(String(segment))}]`
  }
  return out
}

/** How an error names the config: its path relative to the working directory. */
export function configLabel(configPath: string | null): string {
  if (!configPath) return 'config'
  return path.relative(process.cwd(), configPath) || configPath
}
