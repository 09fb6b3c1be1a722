/**
 * Security headers of the app's HTML pages (`/`, `/f/<id>`, every SPA route, `index.html`).
 * One place, so a page with other needs (the exhibition page, which others may embed) states its
 * own policy by passing a different `PagePolicy` rather than by editing headers elsewhere.
 *
 * What the app needs, and so what the policy allows (checked in Chromium by
 * tests/e2e/security-headers.test.ts, which fails on any CSP violation):
 * - scripts and workers only from this origin: the built index.html has no inline script (one
 *   module script, modulepreload links, stylesheets), the import parser runs in
 *   `/assets/worker-*.js`, the service worker is `/sw.js`;
 * - styles from this origin plus `'unsafe-inline'`, for one `<style>` element: Tiptap's base
 *   styles, which it injects (`injectCSS`). React's `style` props need nothing (React sets them
 *   through the CSSOM, which CSP does not govern): with `style-src 'self'` the only violation
 *   the whole e2e flow reports is `style-src-elem` for Tiptap's element. Turning `injectCSS` off
 *   and shipping that CSS in our stylesheet would allow dropping `'unsafe-inline'`;
 * - images from this origin, `blob:` (every cover is shown from a blob: URL) and `data:` (the
 *   export renderer paints the slide as an SVG data: URL);
 * - fonts from this origin and `data:` (fonts inlined for the export);
 * - fetch/XHR/WebSocket to this origin (`ws:`/`wss:` of the same host named explicitly, since
 *   older browsers do not let `'self'` cover them), plus `blob:` and `data:`, which the export
 *   renderer fetches to inline images and fonts;
 * - no plugins, `<base>` and form targets only on this origin, framing only by this origin.
 */

export interface PagePolicy {
  /** Who may frame the page (`frame-ancestors` sources). Default: only this origin. */
  frameAncestors: readonly string[];
}

export const APP_PAGE_POLICY: PagePolicy = { frameAncestors: ["'self'"] };

/** A Host header fit to be named in a policy; anything else is simply left out. */
const SAFE_HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

export function contentSecurityPolicy(policy: PagePolicy, host?: string): string {
  const sockets = host && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets} blob: data:`,
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${policy.frameAncestors.join(' ')}`,
  ].join('; ');
}

/** The headers an HTML page carries, besides BASE_HEADERS (nosniff, Referrer-Policy). */
export function pageSecurityHeaders(
  policy: PagePolicy = APP_PAGE_POLICY,
  host?: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(policy, host),
    // Nothing in the app uses these; a page injected into it could not either.
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
  // For browsers without frame-ancestors; it can only say "this origin" or "nobody".
  if (policy.frameAncestors.length === 1 && policy.frameAncestors[0] === "'self'") {
    headers['x-frame-options'] = 'SAMEORIGIN';
  } else if (policy.frameAncestors.length === 1 && policy.frameAncestors[0] === "'none'") {
    headers['x-frame-options'] = 'DENY';
  }
  return headers;
}
