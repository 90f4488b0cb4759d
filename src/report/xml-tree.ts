// Reading fast-xml-parser's ordered tree (`preserveOrder: true`) without trusting its prototype chain.

/** One node: `{ <tag>: children, ':@'?: { '@_<name>': value } }`, or a text node `{ '#text': text }`. */
export type XmlNode = { readonly [key: string]: unknown }

export const ATTRS = ':@'
export const ATTR = '@_'
export const TEXT = '#text'

// Own properties only: the tree is never asked for anything its prototype could answer.
export const own = (node: XmlNode, key: string): unknown => (Object.hasOwn(node, key) ? node[key] : undefined)

export const tagOf = (node: XmlNode): string | undefined => Object.keys(node).find((key) => key !== ATTRS)

export const childrenOf = (node: XmlNode): XmlNode[] => {
  const tag = tagOf(node)
  const children = tag === undefined ? undefined : own(node, tag)
  return Array.isArray(children) ? (children as XmlNode[]) : []
}

/** Child elements grouped by tag name, in document order. */
export function groupChildren(node: XmlNode): Map<string, XmlNode[]> {
  const groups = new Map<string, XmlNode[]>()
  for (const child of childrenOf(node)) {
    const tag = tagOf(child)
    if (tag === undefined || tag === TEXT) continue
    const group = groups.get(tag)
    if (group === undefined) groups.set(tag, [child])
    else group.push(child)
  }
  return groups
}
