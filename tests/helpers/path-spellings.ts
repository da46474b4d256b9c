/**
 * The ways one path can be spelled so that connect or Vite still route it to the same handler:
 * case, trailing and doubled slashes, dot segments, percent-escapes (once and twice), backslashes,
 * suffixes connect accepts after a route (`/x/…`, `/x.y`), and absolute-form targets. The guard
 * must decide the same for every one of them.
 */
export function spellings(path: string, port: number, query = ''): string[] {
  const [first, ...rest] = path.slice(1).split('/')
  const tail = rest.length ? `/${rest.join('/')}` : ''
  const escapeAll = (s: string) => [...s].map(c => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')
  const forms = [
    path,
    path.toUpperCase(),
    path.replace(/\b\w/, c => c.toUpperCase()),
    `${path}/`,
    `/${path}`,
    `//${first}/${tail}`,
    `/./${first}${tail}`,
    `/x/../${first}${tail}`,
    `/${first}/.${tail}`,
    `/${escapeAll(first!)}${tail}`,
    `/${first!.replace(/_/g, '%5f')}${tail}`,
    `/${first!.replace(/_/g, '%255f')}${tail}`,
    `/%2e/${first}${tail}`,
    `\\${first}${tail}`.replace(/^\\/, '/\\'),
    `${path}.x`,
    `${path}/anything`,
    `http://localhost:${port}${path}`,
    `HTTP://LOCALHOST:${port}${path.toUpperCase()}`,
    `http://localhost:${port}//${first}${tail}/`,
  ]
  return [...new Set(forms)].map(f => `${f}${query}`)
}
