/**
 * The route of every chapter, from its file name without the extension and without Leanpub's `NN-` order
 * prefix (`manuscript/03-canary-deployments.md` → `/canary-deployments`), so a URL survives renumbering.
 * When two chapters would share a route, the later keeps its full file name (`/11-setup`).
 */
export function toChapterRoutes(keys: readonly string[]): Map<string, string> {
  const routes = new Map<string, string>();
  const taken = new Set<string>();
  for (const key of keys) {
    const stem = (key.split('/').pop() ?? key).replace(/\.[^.]+$/, '');
    const bare = stem.replace(/^\d+[-_.\s]+/, '');
    let route = `/${bare || stem}`;
    if (taken.has(route)) route = `/${stem}`;
    for (let n = 2; taken.has(route); n++) route = `/${stem}-${n}`;
    taken.add(route);
    routes.set(key, route);
  }
  return routes;
}
