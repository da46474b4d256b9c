/**
 * Where a controlling window's keystrokes go: into the running shell; kept (bounded) for the
 * shell being prepared; refused once a shell that does not read (stty -icanon; sleep) has too
 * many queued, which would otherwise grow in server memory without bound.
 */
import type { Shell } from './shell.ts'

/** What became of a window's keystrokes. */
export type InputVerdict = 'ok' | 'ignored' | 'overflow'

const EARLY_INPUT_MAX = 4096

export class Keystrokes {
  /** Typed while the shell was being prepared (needs check, setup): for the new shell. */
  private early = ''

  constructor(private readonly maxQueued: number) {}

  /** `shell`: the running one; `preparing`: a shell is on its way. */
  write(data: string, shell: Shell | undefined, preparing: boolean): InputVerdict {
    if (preparing) {
      if (this.early.length + data.length > EARLY_INPUT_MAX)
        return 'ignored'
      this.early += data
      return 'ok'
    }
    if (!shell)
      return 'ignored'
    if (shell.pendingInput() + data.length > this.maxQueued)
      return 'overflow'
    shell.write(data)
    return 'ok'
  }

  /** Hands what was typed early to the shell that just started. */
  started(shell: Shell): void {
    if (this.early)
      shell.write(this.early)
    this.early = ''
  }

  /** Forgets what was typed early (a reset: the new shell starts clean). */
  clear(): void {
    this.early = ''
  }
}
