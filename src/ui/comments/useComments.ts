import { useMemo } from 'react';
import {
  resolveAnchor,
  threadAnchors,
  type CommentField,
  type ThreadView,
} from '../../model/comments.ts';
import type { BodyAnchor } from './commentMarks.ts';
import type { SlideTextField } from '../../model/schema.ts';
import { roleCanComment } from '../../protocol/roles.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { commentsUi, startDraft, useCommentsUi } from './commentsStore.ts';
import type { Participant } from './mentions.ts';

export const useThreads = (): ThreadView[] => useSessionState((s) => s.threads);

/** Whether this user may comment here: the role allows it and the author key is known. */
export function useCanComment(): boolean {
  const session = useSession();
  const authorId = useSessionState((s) => s.authorId);
  return roleCanComment(session.role) && authorId !== null;
}

/** When this flashbook was last open on this device before this visit (read by the editor page). */
export const useLastVisit = (): number | undefined => useCommentsUi((s) => s.lastVisit);

/**
 * Who can be mentioned: people who wrote comments, people here now, and the libraries that
 * prepared slides or posts (not this user).
 */
export function useParticipants(me: { name: string }): Participant[] {
  const threads = useThreads();
  const peers = useSessionState((s) => s.peers);
  const posts = useSessionState((s) => s.view.posts);
  return useMemo(() => {
    const people = new Map<string, Participant>();
    const libraries = new Map<string, Participant>();
    const person = (name: string, library: string) => {
      const n = name.trim();
      if (n && n !== me.name && !people.has(n))
        people.set(n, { name: n, detail: library, kind: 'person' });
      library_(library);
    };
    const library_ = (library: string) => {
      const l = library.trim();
      if (l && !libraries.has(l)) libraries.set(l, { name: l, detail: '', kind: 'library' });
    };
    for (const t of threads) for (const m of t.messages) person(m.authorName, m.authorLibrary);
    for (const p of peers) person(p.name, p.library);
    for (const post of posts) {
      library_(post.library);
      for (const s of post.slides) library_(s.library);
    }
    return [...people.values(), ...libraries.values()];
  }, [threads, peers, posts, me.name]);
}

export interface FieldHighlight {
  index: number;
  length: number;
  active: boolean;
  /** The thread's id (`onHighlightClick` opens it). */
  id: string;
}

/**
 * The comment ranges of one field of a slide (or its post's caption) and how to start a comment
 * on a selection in it, for SharedTextField.
 */
export function useFieldComments(slideId: string, field: SlideTextField | 'caption') {
  const session = useSession();
  const threads = useThreads();
  const active = useCommentsUi((s) => s.activeThreadId);
  const canComment = useCanComment();
  const mine = useMemo(
    () => threads.filter((t) => t.slideId === slideId && t.field === field && !t.resolved),
    [threads, slideId, field],
  );
  return {
    // Resolved when the field repaints: ranges move with every keystroke.
    highlights: (): FieldHighlight[] =>
      mine.flatMap((t) => {
        const a = resolveAnchor(session.doc, t.id);
        return a?.kind === 'range'
          ? [{ index: a.index, length: a.length, active: t.id === active, id: t.id }]
          : [];
      }),
    highlightsKey: `${mine.map((t) => t.id).join(',')}|${active ?? ''}`,
    onComment: canComment
      ? (start: number, end: number, value: string) => {
          startDraft({ kind: 'text', slideId, field, start, end }, value.slice(start, end));
        }
      : undefined,
    onHighlightClick: (threadId: string) =>
      commentsUi.setState({ open: true, activeThreadId: threadId, draft: null }),
  };
}

/** Which comment field a thread is about, for its label. */
export function fieldLabelKey(field: CommentField | ''): string {
  if (field === '') return 'comments.onSlide';
  if (field === 'caption') return 'caption.label';
  if (field === 'body') return 'comments.onBody';
  return `field.${field}`;
}

/** The comment ranges of a slide's rich body and how to start one, for RichTextEditor. */
export function useBodyComments(slideId: string) {
  const session = useSession();
  const threads = useThreads();
  const active = useCommentsUi((s) => s.activeThreadId);
  const canComment = useCanComment();
  const mine = useMemo(
    () => threads.filter((t) => t.slideId === slideId && t.field === 'body' && !t.resolved),
    [threads, slideId],
  );
  return {
    commentAnchors: (): BodyAnchor[] =>
      mine.flatMap((t) => {
        const a = threadAnchors(session.doc, t.id);
        return a ? [{ id: t.id, start: a.start, end: a.end, active: t.id === active }] : [];
      }),
    commentsKey: `${mine.map((t) => t.id).join(',')}|${active ?? ''}`,
    onComment: canComment
      ? (a: { anchorStart: Uint8Array; anchorEnd: Uint8Array; quote: string }) =>
          startDraft({ kind: 'body', slideId, ...a }, a.quote)
      : undefined,
  };
}
