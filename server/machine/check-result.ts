/** What one check of the machine found: whether it holds, what was seen, and the fix if not. */
export interface CheckResult { ok: boolean, detail: string, fix?: string }

/** A named check as doctor prints it; an `optional` one warns instead of failing. */
export interface DoctorLine extends CheckResult { name: string, optional?: boolean }
