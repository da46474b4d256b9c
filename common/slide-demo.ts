/**
 * Which demo a slide runs: a demo slide has `layout: demo` and names its demo in `routeAlias`
 * (so /<id> opens it). The deck, the plan, the bench and the tests read slides by this one rule.
 */
export function slideDemo(frontmatter: Record<string, unknown> | undefined): string | undefined {
  return frontmatter?.layout === 'demo' && typeof frontmatter.routeAlias === 'string' ? frontmatter.routeAlias : undefined
}
