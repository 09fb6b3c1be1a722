import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { FlashbookSession, SessionState } from './session.ts';

export const SessionContext = createContext<FlashbookSession | null>(null);

export function useSession(): FlashbookSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside of a flashbook');
  return s;
}

/** Subscribes a component to one slice of the open flashbook's state. */
export function useSessionState<T>(selector: (s: SessionState) => T): T {
  return useStore(useSession().store, selector);
}
