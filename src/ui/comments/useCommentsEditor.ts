import { useEffect } from 'react';
import { useSession } from '../../session/hooks.ts';
import { loadLastVisit, saveLastVisit } from '../../local/db.ts';
import { commentsUi, resetCommentsUi, startDraft } from './commentsStore.ts';
import { useCanComment } from './useComments.ts';

export { useCommentsUi } from './commentsStore.ts';

/**
 * For the editor page: a fresh comments state per open flashbook (with the last visit), and Ctrl+Alt+M outside a field
 * (fields handle it themselves, for their selection) comments on the selected slide.
 */
export function useCommentsShortcut(): void {
  const session = useSession();
  const canComment = useCanComment();
  useEffect(() => {
    resetCommentsUi();
    // The previous visit marks what is new; this visit lasts until the page is left.
    const id = session.id;
    commentsUi.setState({ lastVisit: loadLastVisit(id) });
    const leave = () => saveLastVisit(id, Date.now());
    leave();
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
      resetCommentsUi();
    };
  }, [session]);
  useEffect(() => {
    if (!canComment) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !(e.ctrlKey || e.metaKey) || !e.altKey || e.code !== 'KeyM') return;
      const slideId = session.store.getState().selectedSlideId;
      if (!slideId) return;
      e.preventDefault();
      startDraft({ kind: 'slide', slideId }, '');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session, canComment]);
}
