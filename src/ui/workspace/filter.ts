import type { WorkspaceFlashbook } from '../../protocol/workspaces.ts';

/** What the workspace page's search and filters ask; a pure decision with a table test. */
export interface WorkspaceFilter {
  query: string;
  /** A library's name, or empty for all. */
  library: string;
  status: 'all' | 'draft' | 'review' | 'approved' | 'published';
  /** Changed within this many days, or 0 for any time. */
  days: number;
}

export const NO_FILTER: WorkspaceFilter = { query: '', library: '', status: 'all', days: 0 };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Case-insensitive, and «Алёша» is found by «алеша». Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і) are
 * letters of their own, not accented ones: Unicode does not decompose them, so they stay apart.
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

export function matches(f: WorkspaceFlashbook, filter: WorkspaceFilter, now: number): boolean {
  if (filter.query.trim()) {
    const words = fold(filter.query).split(/\s+/).filter(Boolean);
    const hay = fold([f.title, ...f.libraries].join(' '));
    if (!words.every((w) => hay.includes(w))) return false;
  }
  if (filter.library && !f.libraries.includes(filter.library)) return false;
  const s = f.statuses;
  const posts = s.draft + s.review + s.approved;
  switch (filter.status) {
    case 'draft':
      if (s.draft === 0) return false;
      break;
    case 'review':
      if (s.review === 0) return false;
      break;
    case 'approved':
      if (posts === 0 || s.approved < posts) return false;
      break;
    case 'published':
      if (!f.published) return false;
      break;
    default:
      break;
  }
  if (filter.days > 0 && now - f.updatedAt > filter.days * DAY_MS) return false;
  return true;
}

/** Every library named by the workspace or by one of its flashbooks, sorted for the picker. */
export function libraryChoices(
  workspaceLibraries: string[],
  flashbooks: WorkspaceFlashbook[],
): string[] {
  const all = new Set(workspaceLibraries);
  for (const f of flashbooks) for (const l of f.libraries) all.add(l);
  return [...all].sort((a, b) => a.localeCompare(b));
}
