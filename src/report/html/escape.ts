// Text from a JUnit file is attacker-controlled: it reaches the HTML only escaped, and the embedded data only as
// JSON that cannot close its <script> element.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for element content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!)

/** JSON for `<script type="application/json">`: `<`, `>`, `&` and the JS line separators as \u escapes. */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** A token for a CSS class: status names and the like, never free text. */
export const classToken = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '-')
