// One shape for "it worked, here is the value; or here is the one line saying why not", for checks and readers that
// report instead of throwing (a corrupt file must not stop a run). `kind` is there when callers act on the reason.

export type Ok<T> = { ok: true; value: T }
export type Failure<K extends string = never> = [K] extends [never]
  ? { ok: false; message: string }
  : { ok: false; message: string; kind: K }
export type Result<T, K extends string = never> = Ok<T> | Failure<K>

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value })

export function fail(message: string): Failure
export function fail<K extends string>(message: string, kind: K): Failure<K>
export function fail(message: string, kind?: string): { ok: false; message: string; kind?: string } {
  return kind === undefined ? { ok: false, message } : { ok: false, message, kind }
}

/** JSON.parse as a Result: a file that is not JSON is one line, `not JSON (…)`. */
export function parseJson(text: string): Result<unknown> {
  try {
    return ok(JSON.parse(text) as unknown)
  } catch (error) {
    return fail(`not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
}
