import { isPromiseLike, type MaybePromise } from '../storage/types.ts';

/**
 * Runs steps strictly in the order they were pushed. While nothing is pending, a step runs at once
 * in the caller's tick and, if it finishes synchronously, the queue stays idle: a synchronous store
 * adds no latency. A step that returns a promise holds back every later step until it settles.
 *
 * The first failure stops the queue (later steps are discarded) and is reported once: after a
 * failed write nothing may be forwarded as if it had been stored.
 */
export class SerialQueue {
  private tail: Promise<void> | undefined;
  private failed = false;

  constructor(private readonly onError: (err: unknown) => void) {}

  push(step: () => MaybePromise<void>): void {
    if (this.failed) return;
    if (this.tail) {
      this.track(this.tail.then(() => (this.failed ? undefined : step())));
      return;
    }
    let result: MaybePromise<void>;
    try {
      result = step();
    } catch (err) {
      this.fail(err);
      return;
    }
    if (isPromiseLike(result)) this.track(Promise.resolve(result));
  }

  /** Resolves once every step pushed so far has run (or the queue failed). */
  idle(): Promise<void> {
    return this.tail ?? Promise.resolve();
  }

  private track(p: Promise<void>): void {
    const tail: Promise<void> = p
      .then(undefined, (err: unknown) => this.fail(err))
      .then(() => {
        if (this.tail === tail) this.tail = undefined;
      });
    this.tail = tail;
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    // Never throw into the caller: steps run inside Yjs event handlers.
    queueMicrotask(() => this.onError(err));
  }
}
