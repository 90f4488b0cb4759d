// globalSetup of the docker project: without a container engine the whole project fails at once, with one line
// saying how to start one and how to run the other projects (never a skip, never one failure per file).
import { execa } from 'execa'

export default async function requireEngineOnce(): Promise<void> {
  const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
  const version = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { reject: false, timeout: 15_000 }).catch(
    (error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message }),
  )
  if (version.exitCode === 0 && String(version.stdout).trim()) return
  const error = new Error(
    `the docker tests need a container engine and none answers at ${where}: start one (as root: bash .ci/engine.sh; or \`sudo systemctl start docker\`), or run the others only: npm run test:unit && npm run test:e2e`,
  )
  error.stack = error.message // one line, no stack: nothing in this file is the culprit
  throw error
}
