/**
 * Which slides a version of the talk leaves out. The deck's headmatter chooses the version
 * (`cut: full | short`, `backups: hide | show`); slides are marked in their frontmatter:
 * `short: false` (left out of the short talk) and `backup: true` (shown only when the presenter
 * chooses the backups). Read by the deck (setup/preparser.ts) and by `npm run plan`.
 */
export interface CutChoice { cut: 'full' | 'short', backups: 'hide' | 'show' }

function pick<T extends string>(value: unknown, key: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null)
    return fallback
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T
  throw new Error(`headmatter ${key}: expected ${allowed.join(' or ')}, got ${JSON.stringify(value)}`)
}

/** The version the headmatter asks for; throws naming the field on a value it does not know. */
export function cutChoice(headmatter: Record<string, unknown>): CutChoice {
  return {
    cut: pick(headmatter.cut, 'cut', ['full', 'short'] as const, 'full'),
    backups: pick(headmatter.backups, 'backups', ['hide', 'show'] as const, 'hide'),
  }
}

/** Whether the slide with this frontmatter is left out of the chosen version. */
export function isLeftOut(frontmatter: Record<string, unknown>, choice: CutChoice): boolean {
  return (frontmatter.short === false && choice.cut === 'short')
    || (frontmatter.backup === true && choice.backups === 'hide')
}
