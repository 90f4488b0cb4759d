// Building one image with a deadline and a log file, so a failed or hanging build names its container and step.

import fs from 'node:fs'
import tar from 'tar-fs'
import type { ContainerConfig } from '../config/schema.js'
import { InfraError } from '../core/errors.js'
import { formatDuration } from '../shared/duration.js'
import type { BuildContext } from './build-context.js'
import { BuildTimeout } from './build-deadline.js'
import type { EngineClient } from './engine-client.js'

/** Builds the image from the listed context into `tag`; a failure is exit 3 naming the container and the failing step. */
export async function buildImage(
  engine: EngineClient,
  name: string,
  context: BuildContext,
  build: NonNullable<ContainerConfig['build']>,
  tag: string,
  logFile: string,
  signal?: AbortSignal,
): Promise<void> {
  const log = fs.createWriteStream(logFile, { flags: 'a' })
  let lastStep = ''
  let failure: string | undefined
  try {
    // The context is packed here, with exactly the files .dockerignore lets through (and the Dockerfile).
    const packed = tar.pack(context.dir, { entries: context.files }) as unknown as NodeJS.ReadableStream
    await engine.buildImage(
      packed,
      { tag, dockerfile: context.dockerfile, args: build.args, target: build.target, labels: { 'xtest.container': name } },
      (event) => {
        if (event.stream) {
          log.write(event.stream)
          const step = event.stream.match(/^Step \d+\/\d+ : .*/m) ?? event.stream.match(/^STEP \d+\/\d+: .*/m)
          if (step) lastStep = step[0].trim()
        }
        if (event.error) {
          failure = event.errorDetail?.message ?? event.error
          log.write(`ERROR: ${failure}\n`)
        }
      },
      signal,
    )
  } catch (error) {
    failure ??= error instanceof Error ? error.message : String(error)
  } finally {
    log.end()
  }
  if (failure && signal?.aborted && signal.reason instanceof BuildTimeout) {
    throw new InfraError(
      `container ${name}: image build did not finish in ${formatDuration(signal.reason.ms)} (limits.buildTimeout in the xtest config; log: ${logFile})`,
      'XTEST_BUILD_TIMEOUT',
    )
  }
  if (failure && signal?.aborted)
    throw new InfraError(`container ${name}: image build interrupted (log: ${logFile})`, 'XTEST_BUILD_INTERRUPTED')
  if (failure) {
    const at = lastStep ? ` at '${lastStep}'` : ''
    throw new InfraError(
      `container ${name}: image build failed${at}: ${failure.trim().split('\n')[0]} (log: ${logFile})`,
      'XTEST_BUILD_FAILED',
    )
  }
}
