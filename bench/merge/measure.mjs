// Fallback when /usr/bin/time is missing: runs `node script args...` in this process and prints its peak RSS.
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const [, , node, ...rest] = process.argv
process.on('exit', () => process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`))
if (rest[0] === '--input-type=module' && rest[1] === '-e') {
  process.argv = [node, '[eval]', ...rest.slice(3)]
  await import(`data:text/javascript,${encodeURIComponent(rest[2])}`)
} else {
  process.argv = [node, resolve(rest[0]), ...rest.slice(1)]
  await import(pathToFileURL(resolve(rest[0])).href)
}
