// Text from a JUnit file is attacker-controlled: it reaches the HTML only escaped, and the embedded data only as
// JSON that cannot close its <script> element.
import { plainText } from '../../core/printable.js'

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for element content and quoted attribute values; terminal escapes (colours) and controls go. */
export const escapeHtml = (text: string): string => plainText(text).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!)

/** JSON for `<script type="application/json">`: `<`, `>`, `&`, DEL, C1 controls and the JS line separators as \u escapes. */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\x7f-\x9f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** A token for a CSS class: status names and the like, never free text. */
export const classToken = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '-')
