import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { ACK_PARAM, MESSAGE_ACK } from '../protocol/messages.ts';
import { roleCanEdit, type Role } from '../protocol/roles.ts';
import type { AckTracker } from './acks.ts';
import type { SessionEnvironment } from './environment.ts';

/** What the user sees of the connection. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

export interface ConnectionEvents {
  /** The status may have changed (call `status()`). */
  changed(): void;
  /** The first sync with the server completed: the document is the server's. */
  synced(): void;
  /** The server refused for good (a 4400–4499 close): retrying cannot help. */
  refused(event: { code: number; reason: string }): void;
}

/**
 * The link of one document to the sync server: a stock y-websocket provider whose socket numbers
 * the update messages it sends, so the server's acknowledgements (MESSAGE_ACK) can be matched to
 * them (AckTracker). Without a network the socket is closed on purpose rather than left hanging (a
 * half-dead socket can swallow edits until a timeout notices); back online, it reconnects at once
 * and the sync step 1/2 exchange sends what was made meanwhile.
 */
export class SyncConnection {
  readonly provider: WebsocketProvider;
  private refusedForGood = false;
  private readonly stopWatchingOnline: () => void;

  constructor(
    id: string,
    token: string,
    doc: Y.Doc,
    awareness: Awareness,
    role: Role,
    acks: AckTracker,
    private readonly env: SessionEnvironment,
    private readonly events: ConnectionEvents,
    authorKey?: string,
  ) {
    // Numbers the update messages this client sends, so acknowledgements can be matched to them.
    class CountingWebSocket extends env.WebSocket {
      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        acks.onSend(data);
        super.send(data);
      }
    }
    const provider = new WebsocketProvider(env.syncUrl, id, doc, {
      // `author`: the secret key whose SHA-256 is the authorId of this device's comment messages;
      // the server lets only this key change them (docs/document-schema.md).
      params: { token, [ACK_PARAM]: '1', ...(authorKey ? { author: authorKey } : {}) },
      awareness,
      WebSocketPolyfill: CountingWebSocket,
      // A tab that may not edit must not pass changes to other tabs (which may) behind the
      // server's back.
      disableBc: !roleCanEdit(role),
      maxBackoffTime: 5000,
      connect: env.online.now(),
    });
    this.provider = provider;
    provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
      acks.onAck(decoding.readVarUint(decoder));
    };
    provider.on('status', () => events.changed());
    provider.on('connection-close', () => acks.onSocketClosed());
    provider.on('sync', (synced: boolean) => {
      if (synced) events.synced();
      events.changed();
    });
    provider.on('closed', (event: { code: number; reason: string }) => {
      this.refusedForGood = true;
      events.refused(event);
    });
    this.stopWatchingOnline = env.online.subscribe(() => {
      if (!this.refusedForGood) {
        if (env.online.now()) provider.connect();
        else provider.disconnect();
      }
      events.changed();
    });
  }

  /** Tries again after a refusal that left the document usable (see `refusalKind`). */
  retry(): void {
    if (!this.refusedForGood) return;
    this.refusedForGood = false;
    if (this.env.online.now()) this.provider.connect();
    this.events.changed();
  }

  /** The status to show, given whether there is a document to show yet. */
  status(loaded: boolean): ConnectionStatus {
    if (this.refusedForGood) return 'refused';
    const p = this.provider;
    if (p.wsconnected && p.synced) return 'connected';
    if (!this.env.online.now()) return 'offline';
    return loaded ? 'reconnecting' : 'connecting';
  }

  destroy(): void {
    this.stopWatchingOnline();
    this.provider.destroy();
  }
}
