import { removeAwarenessStates, type Awareness } from 'y-protocols/awareness';
import { shareStructure } from './structural.ts';

export interface User {
  name: string;
  library: string;
  color: string;
}

/** Another person in the flashbook, as the sidebar and the carets show them. */
export interface Presence {
  clientId: number;
  name: string;
  library: string;
  color: string;
  slideId: string | null;
}

/**
 * Who else is here, from the awareness protocol: this user's name, library, colour and selected
 * slide go out; everyone else's come in, sanitised (another client may send anything).
 */
export class PresenceChannel {
  private peers: Presence[] = [];

  constructor(
    private readonly awareness: Awareness,
    user: User,
    onPeers: (peers: Presence[]) => void,
  ) {
    awareness.setLocalStateField('user', user);
    awareness.setLocalStateField('slideId', null);
    // Carets move on every keystroke; the list only changes when someone comes, goes or switches
    // slide, so an unchanged list keeps its identity and nothing re-renders.
    this.onChange = () => {
      const next = shareStructure(this.peers, this.read());
      if (next === this.peers) return;
      this.peers = next;
      onPeers(next);
    };
    awareness.on('change', this.onChange);
  }

  private readonly onChange: () => void;

  select(slideId: string | null): void {
    this.awareness.setLocalStateField('slideId', slideId);
  }

  setUser(user: User): void {
    this.awareness.setLocalStateField('user', user);
  }

  private read(): Presence[] {
    const peers: Presence[] = [];
    this.awareness.getStates().forEach((state, clientId) => {
      if (clientId === this.awareness.clientID) return;
      const user = state['user'] as Partial<User> | undefined;
      if (!user || typeof user.name !== 'string') return;
      const slideId = state['slideId'];
      peers.push({
        clientId,
        name: user.name.slice(0, 80),
        library: typeof user.library === 'string' ? user.library.slice(0, 120) : '',
        color:
          typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color)
            ? user.color
            : '#888888',
        slideId: typeof slideId === 'string' ? slideId : null,
      });
    });
    return peers.sort((a, b) => a.clientId - b.clientId);
  }

  /** Tells the others this user left (before the socket closes). */
  destroy(): void {
    this.awareness.off('change', this.onChange);
    removeAwarenessStates(this.awareness, [this.awareness.clientID], 'destroy');
  }
}
