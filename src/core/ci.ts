// Whether we run under CI: decides plain progress lines, the read-only repo mount and `--runtime auto`'s fallback.

/** `CI` as CI systems set it (GitHub, GitLab, CircleCI, Buildkite...): any value but empty, `false` or `0`. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase()
  return value !== undefined && value !== '' && value !== 'false' && value !== '0'
}
