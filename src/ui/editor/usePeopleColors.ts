import { useCallback, useMemo } from 'react';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { distinctColors } from './peopleColors.ts';

/**
 * The colour each person here is shown in (avatars, thumbnail dots), by client id: their own
 * colour unless someone else here has one too close to it (peopleColors.ts). `self` is this
 * tab's colour; the result holds it under `session.awareness.clientID`.
 */
export function usePeopleColors(self: string): Map<number, string> {
  const session = useSession();
  const peers = useSessionState((s) => s.peers);
  const selfId = session.awareness.clientID;
  return useMemo(
    () =>
      distinctColors([
        { clientId: selfId, color: self },
        ...peers.map((p) => ({ clientId: p.clientId, color: p.color })),
      ]),
    [peers, self, selfId],
  );
}

/** What a caret knows of its person: the awareness `user` field (name, library, colour). */
export interface CaretUser {
  name?: unknown;
  library?: unknown;
  color?: unknown;
}

/**
 * The colour a colleague's caret is drawn in: the one their avatar has here (`usePeopleColors`),
 * so the caret and the avatar agree. Tiptap hands the caret only the person's `user` field, so
 * they are found among the people here by name, library and own colour (the same person in two
 * tabs gets one of their colours; someone not found keeps their own).
 */
export function useCaretColor(self: string): (user: CaretUser) => string | undefined {
  const peers = useSessionState((s) => s.peers);
  const colors = usePeopleColors(self);
  return useCallback(
    (user: CaretUser) => {
      const name = typeof user.name === 'string' ? user.name.slice(0, 80) : '';
      const library = typeof user.library === 'string' ? user.library.slice(0, 120) : '';
      const peer = peers.find(
        (p) => p.name === name && p.library === library && p.color === user.color,
      );
      return peer ? colors.get(peer.clientId) : undefined;
    },
    [peers, colors],
  );
}
