// One shape for "it worked, or here is the one line saying why not", for checks that report instead of throwing.

export type Result<T extends object = object> = ({ ok: true } & T) | { ok: false; problem: string }

export const failure = (problem: string): { ok: false; problem: string } => ({ ok: false, problem })
