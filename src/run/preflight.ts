// Checks before a run starts, so that a run that cannot work fails with one line (exit 2 or 3) before any shard or
// run folder: the installed Vitest is one xtest supports, every image is on the engine, and each image's Node can run
// that Vitest (a Vitest 5 in a Node 20 image fails with "Map.groupBy is not a function" otherwise).
import fs from 'node:fs'
import path from 'node:path'
import semver from 'semver'
import type { ResolvedConfig } from '../config/resolve.js'
import { ConfigError, InfraError } from '../core/errors.js'
import { chooseVitestConfig, installedVitest } from '../plan/vitest-config.js'
import type { ImageRef } from '../runtimes/docker-image.js'
import { ownerOf, shardUser } from '../runtimes/docker-spec.js'
import { imageNodeVersion } from '../runtimes/image-node.js'
import type { RuntimeSelection } from '../runtimes/select.js'
import { XTEST_PACKAGE_ROOT } from '../runtimes/shard-command.js'

/** The Vitest versions xtest supports: its own peer range (package.json), named once. */
function supportedVitestRange(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(XTEST_PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    peerDependencies: { vitest: string }
  }
  return pkg.peerDependencies.vitest
}

const workdirOf = (config: ResolvedConfig, name: string): string => path.resolve(config.root, config.containers[name]!.workdir)

/** Exit 2 when a container's workdir resolves a Vitest outside the supported range (a peer warning is all npm gives). */
export function checkVitestVersions(config: ResolvedConfig, containers: readonly string[], repoRoot: string): void {
  const range = supportedVitestRange()
  for (const name of containers) {
    chooseVitestConfig(config.containers[name]!, config.root, repoRoot, name) // a vitestConfig that is not there: exit 2 now
    const vitest = installedVitest(workdirOf(config, name))
    if (vitest === null || semver.satisfies(vitest.version, range, { includePrerelease: true })) continue
    const where = path.relative(config.root, vitest.file) || vitest.file
    throw new ConfigError(
      `container ${name}: Vitest ${vitest.version} is installed (${where}), but xtest needs Vitest ${range}: npm install -D vitest@${range.split(' ||')[0]}`,
      'XTEST_VITEST_VERSION',
    )
  }
}

/**
 * Exit 3 with one line when an image that no `build:` makes is not on the engine (xtest never pulls). Returns the
 * images found, for checkImageNodes.
 */
export async function checkImagesPresent(config: ResolvedConfig, selection: RuntimeSelection): Promise<Map<string, ImageRef>> {
  const found = new Map<string, ImageRef>()
  const missing = new Map<string, string[]>()
  for (const [name, runtime] of Object.entries(selection.runtimeOf)) {
    const container = config.containers[name]!
    if (runtime !== 'docker' || container.build || !container.image) continue
    const image = container.image
    if (missing.has(image)) {
      missing.get(image)!.push(name)
      continue
    }
    const info = await selection.engines[name]!.inspectImage(image).catch(() => undefined) // an engine error shows later
    if (info === null) missing.set(image, [name])
    else if (info) found.set(name, { image, imageId: info.Id, built: false })
  }
  if (missing.size === 0) return found
  const images = [...missing.keys()]
  const users = [...missing.values()].flat()
  throw new InfraError(
    `image${images.length > 1 ? 's' : ''} ${images.map((image) => `'${image}'`).join(', ')} not on the engine (container${users.length > 1 ? 's' : ''} ${users.join(', ')}); xtest never pulls: run ${images.map((image) => `docker pull ${image}`).join(' && ')}, or give the container a build: that makes it`,
    'XTEST_IMAGE_MISSING',
  )
}

/**
 * Exit 2 when an image's Node does not satisfy the `engines.node` of the Vitest its container runs. The Node version
 * is asked once per image id (runtimes/image-node.ts) and remembered in `knownFile`.
 */
export async function checkImageNodes(
  config: ResolvedConfig,
  selection: RuntimeSelection,
  refs: ReadonlyMap<string, ImageRef>,
  knownFile: string,
): Promise<void> {
  for (const [name, runtime] of Object.entries(selection.runtimeOf)) {
    const vitest = installedVitest(workdirOf(config, name))
    if (!vitest?.nodeRange) continue
    if (runtime === 'local') {
      if (semver.satisfies(process.version, vitest.nodeRange)) continue
      throw new ConfigError(
        `container ${name}: this machine runs Node ${process.version}, but the installed Vitest ${vitest.version} needs Node ${vitest.nodeRange} (its engines.node)`,
        'XTEST_IMAGE_NODE',
      )
    }
    const ref = refs.get(name)
    if (!ref) continue
    const engine = selection.engines[name]!
    const user = shardUser(config.containers[name]!, ownerOf(config.root))
    const node = await imageNodeVersion(engine, ref.imageId, user, knownFile)
    if (node === null || semver.satisfies(node, vitest.nodeRange)) continue
    throw new ConfigError(
      `container ${name}: image ${ref.image} has Node ${node}, but the installed Vitest ${vitest.version} needs Node ${vitest.nodeRange} (its engines.node): use an image with a newer Node, or a Vitest that runs on Node ${node}`,
      'XTEST_IMAGE_NODE',
    )
  }
}
