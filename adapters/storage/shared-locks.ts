/**
 * Named locks shared by the threads of one process (the turn workers on one SQLite file): keys
 * hash into slots of a SharedArrayBuffer, and a slot holds the number of the thread that owns
 * it. Threads wait with Atomics.waitAsync, so a waiting turn never blocks its event loop.
 *
 * Within one thread, a slot is held on behalf of every task of that thread: exclusion between
 * keys of the same thread is the caller's KeyedMutex. So a task that takes a second lock whose
 * key shares its slot (a Zalo token refresh inside a turn) does not wait for itself.
 */
export class SharedLocks {
  private readonly slots: Int32Array;
  private readonly held = new Map<number, { count: number; ready: Promise<void> }>();

  /** `owner` is this thread's number, 1 or more, unique among the threads sharing `buffer`. */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly owner: number,
  ) {
    if (!Number.isInteger(owner) || owner < 1) throw new Error('cannot share locks because the owner number must be a positive integer');
    this.slots = new Int32Array(buffer);
  }

  /** A table of `slots` locks to hand to every thread. */
  static createBuffer(slots = 4096): SharedArrayBuffer {
    return new SharedArrayBuffer(slots * Int32Array.BYTES_PER_ELEMENT);
  }

  /** Frees the slots a thread held when it died, so its keys do not stay locked forever. */
  static releaseOwner(buffer: SharedArrayBuffer, owner: number): number {
    const slots = new Int32Array(buffer);
    let freed = 0;
    for (let i = 0; i < slots.length; i++) {
      if (Atomics.compareExchange(slots, i, owner, 0) === owner) {
        Atomics.notify(slots, i);
        freed += 1;
      }
    }
    return freed;
  }

  /** Runs `fn` while this thread holds the slot of `key`. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const slot = slotOf(key, this.slots.length);
    await this.acquire(slot);
    try {
      return await fn();
    } finally {
      this.release(slot);
    }
  }

  private async acquire(slot: number): Promise<void> {
    const entry = this.held.get(slot);
    if (entry) {
      // Another task of this thread holds the slot or is waiting for it: share that wait.
      entry.count += 1;
      try {
        await entry.ready;
      } catch (error) {
        this.release(slot);
        throw error;
      }
      return;
    }
    const ready = this.take(slot);
    this.held.set(slot, { count: 1, ready });
    try {
      await ready;
    } catch (error) {
      this.release(slot);
      throw error;
    }
  }

  private async take(slot: number): Promise<void> {
    for (;;) {
      const current = Atomics.compareExchange(this.slots, slot, 0, this.owner);
      if (current === 0) return;
      const wait = Atomics.waitAsync(this.slots, slot, current, 1000);
      if (!wait.async) continue;
      // A pending waitAsync does not keep the thread's event loop alive; this timer does.
      const alive = setTimeout(() => undefined, 1000);
      await wait.value;
      clearTimeout(alive);
    }
  }

  private release(slot: number): void {
    const entry = this.held.get(slot);
    if (!entry) return;
    entry.count -= 1;
    if (entry.count > 0) return;
    this.held.delete(slot);
    Atomics.compareExchange(this.slots, slot, this.owner, 0);
    Atomics.notify(this.slots, slot);
  }
}

/** FNV-1a of a string's UTF-16 units: a cheap, stable spread of keys over slots or threads. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const slotOf = (key: string, size: number) => hashKey(key) % size;
