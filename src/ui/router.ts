import { useSyncExternalStore } from 'react';

/** The two places of the app: the home page and one flashbook (`/f/<id>#t=<token>`). */
export type Route =
  | { page: 'home' }
  /** `editor`: a view link opened in the read-only editor (`#t=…&mode=editor`), not the reader view. */
  | { page: 'flashbook'; id: string; token: string | null; editor: boolean }
  /** A workspace (`/w/<id>#t=<token>`) and its settings page (`/w/<id>/settings#t=…`, admins). */
  | { page: 'workspace'; id: string; token: string | null; settings: boolean };

export function parseRoute(pathname: string, hash: string): Route {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const w = /^\/w\/([A-Za-z0-9_-]{1,64})(\/settings)?\/?$/.exec(pathname);
  if (w) {
    return { page: 'workspace', id: w[1] as string, token: params.get('t'), settings: !!w[2] };
  }
  const m = /^\/f\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname);
  if (!m) return { page: 'home' };
  return {
    page: 'flashbook',
    id: m[1] as string,
    token: params.get('t'),
    editor: params.get('mode') === 'editor',
  };
}

const listeners = new Set<() => void>();
let snapshot = { path: location.pathname, hash: location.hash };

function refresh() {
  if (snapshot.path !== location.pathname || snapshot.hash !== location.hash) {
    snapshot = { path: location.pathname, hash: location.hash };
    for (const l of listeners) l();
  }
}
window.addEventListener('popstate', refresh);
window.addEventListener('hashchange', refresh);

export function navigate(url: string): void {
  history.pushState(null, '', url);
  refresh();
}

export function useRoute(): Route {
  const s = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => snapshot,
  );
  return parseRoute(s.path, s.hash);
}

export function flashbookUrl(id: string, token: string): string {
  return `/f/${id}#t=${encodeURIComponent(token)}`;
}

export function workspaceUrl(id: string, token: string, settings = false): string {
  return `/w/${id}${settings ? '/settings' : ''}#t=${encodeURIComponent(token)}`;
}
