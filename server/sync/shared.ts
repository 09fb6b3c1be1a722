/**
 * What a room needs when several instances hold it (server/scale/redis-fanout.ts): a link to the
 * others. The room stores first, then publishes; the others forward what they receive to their
 * own clients, and heal from the store whatever they missed (docs/deploy.md, "Fan-out").
 */
export interface RoomLink {
  /** Settles once the room listens to the others (or gave up waiting): it loads after that. */
  readonly joined: Promise<void>;
  /** Row `seq` of the flashbook's update log, just stored by this instance. */
  publishUpdate(seq: number, update: Uint8Array): void;
  /** Awareness changes of this instance's connections (an awareness update payload). */
  publishAwareness(payload: Uint8Array): void;
  leave(): void;
}

/** What the link delivers to a room. */
export interface SharedRoom {
  readonly id: string;
  /** Another instance stored `update` as row `seq`. */
  receiveUpdate(seq: number, update: Uint8Array): void;
  /** Another instance has stored rows up to `seq` (a beacon: catches lost messages). */
  receiveSeq(seq: number): void;
  receiveAwareness(instance: string, payload: Uint8Array): void;
  /** Messages may have been lost (the link reconnected): reload from the store now. */
  heal(): void;
}

/** Makes the link of a room; the registry calls it once per loaded room. */
export type ShareRoom = (room: SharedRoom) => RoomLink;
