// Image references as the engine reads them: `[registry[:port]/]path[:tag][@digest]`. The tag is the part after
// the last `:` of the last path component, so `registry:5000/ns/img` has no tag and `img@sha256:…` is a digest.

export interface ImageName {
  /** Everything before the tag and digest: `registry:5000/ns/img`. */
  repo: string
  /** The tag; 'latest' when neither a tag nor a digest is given, null for a digest without a tag. */
  tag: string | null
  /** `sha256:…`, or null. */
  digest: string | null
}

export function parseImageName(reference: string): ImageName {
  const at = reference.indexOf('@')
  const digest = at === -1 ? null : reference.slice(at + 1)
  const named = at === -1 ? reference : reference.slice(0, at)
  const colon = named.lastIndexOf(':')
  const hasTag = colon > named.lastIndexOf('/')
  return {
    repo: hasTag ? named.slice(0, colon) : named,
    tag: hasTag ? named.slice(colon + 1) : digest === null ? 'latest' : null,
    digest,
  }
}
