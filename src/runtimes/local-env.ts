// The local runtime runs test code on the host, outside any sandbox; it still gets only what a test run needs
// from the host's environment, never its tokens (GITHUB_TOKEN, NPM_TOKEN, AWS_*, ...). The same rule as the
// Docker runtime's: an allowlist, plus the names the container config lists in `env`.

/** Host variables a local shard sees: where things are (PATH, HOME, temp), the locale and terminal, CI, TZ, Node's own. */
export const LOCAL_ENV_ALLOWLIST = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LANGUAGE',
  'TERM',
  'TZ',
  'CI',
  // Node's own switches: a Yarn PnP or ESM loader hook set for every Node process, extra CA certificates.
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
  // What Node and child processes need on Windows.
  'SYSTEMROOT',
  'SystemRoot',
  'COMSPEC',
  'ComSpec',
  'PATHEXT',
  'WINDIR',
  'windir',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
] as const

/** The host variables of the allowlist (and every LC_*), as the shard's base environment. */
export function allowlistedHostEnv(hostEnv: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  const allowed = new Set<string>(LOCAL_ENV_ALLOWLIST)
  for (const [name, value] of Object.entries(hostEnv)) {
    if (value !== undefined && (allowed.has(name) || name.startsWith('LC_'))) out[name] = value
  }
  return out
}
