// Text from tests (names, messages, file names) is attacker-controlled: printed raw it can drive the terminal (OSC 52
// writes the clipboard, OSC 0 the title, ESC[2J clears the screen), hide or reorder text (bidi overrides: "Trojan
// source"), start a new line, or be read by the CI system as a command (`::add-mask::`, `::stop-commands::`,
// `##[warning]`, `##vso[...]`, `##teamcity[...]`). These functions make such text inert; docs/internals.md says where.

// CSI (`ESC [` or 8-bit U+009B, parameters, intermediates, final byte).
const CSI = String.raw`(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]`
// OSC, DCS, SOS, PM, APC (7- and 8-bit introducers) up to BEL or ST; unterminated, only the introducer goes (below).
const STRING_SEQUENCE = String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)`
// Any other escape: ESC, intermediates, a final byte.
const OTHER_ESCAPE = String.raw`\x1b[ -/]*[0-~]`
const ESCAPES = new RegExp(`${STRING_SEQUENCE}|${CSI}|${OTHER_ESCAPE}`, 'g')
// Controls that remain (C0 but tab and newlines, DEL, C1), and invisible format characters: bidi embeddings,
// overrides and isolates, marks, zero-width space, word joiner and its kin, the BOM.
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g
// Line breaks a terminal or a CI log may honour: CRLF, LF, CR, NEL, line and paragraph separators.
const BREAKS = /\r\n|[\n\r\x85\u2028\u2029]/g
// Commands read anywhere in a line: GitHub's old `##[cmd]`, Azure Pipelines' `##vso[`, TeamCity's `##teamcity[`.
const HASH_COMMAND = /##(?=\s*(?:vso|teamcity)?\s*\[)/gi
// Commands read at a line's start after any whitespace (the runner trims Unicode whitespace): GitHub's `::cmd::`.
const COLON_COMMAND = /^(\s*)(?=::)/

/** What escapes, controls and invisible characters leave; tabs and line breaks stay. */
function stripped(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '')
}

/** Neutralises the command markers of one printed line (its start and `##` anywhere); the rest is unchanged. */
function neutralizeLine(line: string): string {
  return line.replace(HASH_COMMAND, '# #').replace(COLON_COMMAND, '$1\\')
}

/**
 * One value from test data (a test or file name, a message line) made safe to print inside a line: no escape, no
 * control or invisible character, no command marker, and a line break shown as `⏎` so that it cannot start a line.
 */
export function printable(text: string): string {
  return neutralizeLine(stripped(String(text)).replace(BREAKS, '⏎').replace(/\t/g, ' '))
}

/** A multi-line value (a failure excerpt): each line made printable; the caller prints them as separate lines. */
export function printableLines(text: string): string[] {
  return stripped(String(text))
    .split(BREAKS)
    .map((line) => neutralizeLine(line))
}

// Every character and pair `neutralizeText` acts on (escapes start with ESC or a C1 control; CR, NEL and the
// separators are breaks; `##` and `::` start commands). Most output has none: one scan instead of four passes and a
// split (1.3 s of a 50,000-file `plan --json`).
const NEEDS_NEUTRALIZING = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]|##|::/

/** Text shown as it is, not printed to a terminal (a page, a file): escapes and controls removed, line breaks `\n`. */
export const plainText = (text: string): string => stripped(String(text)).replace(/\r\n|[\r\x85\u2028\u2029]/g, '\n')

/**
 * Whole text about to be written (the output guard's pass): escapes and controls removed, every line's command
 * markers neutralised. Newlines are the printer's own here, so they stay.
 */
export function neutralizeText(text: string): string {
  if (!NEEDS_NEUTRALIZING.test(text)) return text
  return stripped(text)
    .replace(/\r\n|[\r\x85\u2028\u2029]/g, '\n')
    .split('\n')
    .map((line) => neutralizeLine(line))
    .join('\n')
}

/**
 * `printable` for every interpolated value: `` line`${file} > ${name}` ``. Numbers pass as they are. Printers build
 * lines from test data with it, so that no value is forgotten.
 */
export function line(parts: TemplateStringsArray, ...values: unknown[]): string {
  let out = parts[0] ?? ''
  values.forEach((value, index) => {
    out += (typeof value === 'number' ? String(value) : printable(String(value))) + (parts[index + 1] ?? '')
  })
  return out
}

/** JSON for a terminal or a log: valid JSON of the same value, with what `neutralizeText` would change escaped. */
export function printableJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]|#(?=#)/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

declare const workflowCommands: unique symbol
/** Lines that are meant to be read as CI commands: only xtest's own annotations (report/annotations.ts) make them. */
export type WorkflowCommands = string & { readonly [workflowCommands]: true }

/** Marks `text` as xtest's own workflow commands, written past the output guard. Its fields must be escaped already. */
export const asWorkflowCommands = (text: string): WorkflowCommands => text as WorkflowCommands
