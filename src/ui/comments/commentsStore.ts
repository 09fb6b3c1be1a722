import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { CommentTarget } from '../../model/comments.ts';

/**
 * What the comments UI of the open editor remembers between its pieces (the fields that start a
 * comment, the panel, the thumbnails): not shared, not stored. One editor is open at a time.
 */
export interface CommentsUiState {
  open: boolean;
  /** The thread the librarian is looking at: its range is highlighted more strongly. */
  activeThreadId: string | null;
  /** A thread being written, not in the document yet. */
  draft: { target: CommentTarget; quote: string } | null;
  filterPost: string;
  filterLibrary: string;
  /** Messages written here since the server last confirmed everything ("not sent yet"). */
  unsent: ReadonlySet<string>;
  /** When this flashbook was last open on this device before now: later messages are new. */
  lastVisit: number | undefined;
}

export const commentsUi = createStore<CommentsUiState>(() => ({
  open: false,
  activeThreadId: null,
  draft: null,
  filterPost: '',
  filterLibrary: '',
  unsent: new Set(),
  lastVisit: undefined,
}));

export const useCommentsUi = <T>(selector: (s: CommentsUiState) => T): T =>
  useStore(commentsUi, selector);

/** Opens the panel with a new thread on `target` to write. */
export function startDraft(target: CommentTarget, quote: string): void {
  commentsUi.setState({ open: true, draft: { target, quote }, activeThreadId: null });
}

export function markUnsent(messageId: string | undefined): void {
  if (!messageId) return;
  const unsent = new Set(commentsUi.getState().unsent);
  unsent.add(messageId);
  commentsUi.setState({ unsent });
}

export function resetCommentsUi(): void {
  commentsUi.setState({
    open: false,
    activeThreadId: null,
    draft: null,
    filterPost: '',
    filterLibrary: '',
    unsent: new Set(),
    lastVisit: undefined,
  });
}
