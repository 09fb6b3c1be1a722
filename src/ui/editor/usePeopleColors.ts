import { useMemo } from 'react';
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
