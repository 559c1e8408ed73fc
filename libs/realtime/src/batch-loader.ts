/** Loads many ids in one call: `(ids) => Map of the ones that exist`. */
export type LoadMany<V> = (ids: string[]) => Promise<Map<string, V>>;

const MAX_BATCH = 500;

/**
 * Collects the ids asked for while the current callback and its promise chains run, and loads them
 * together right after (process.nextTick runs once the microtask queue is empty). A batch of
 * ingested messages resolves all its requests in one callback, so their pushes share one round
 * trip instead of one each; nothing waits for a later turn of the event loop, so a push is not
 * overtaken by work queued after it.
 */
export class BatchLoader<V> {
  private pending = new Map<string, Array<{ resolve: (value: V | null) => void; reject: (error: unknown) => void }>>();
  private scheduled = false;

  constructor(private readonly loadMany: LoadMany<V>) {}

  /** The value for `id`, or null if it does not exist. */
  load(id: string): Promise<V | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(id, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const ids = [...batch.keys()];
    for (let i = 0; i < ids.length; i += MAX_BATCH) {
      const chunk = ids.slice(i, i + MAX_BATCH);
      this.loadMany(chunk).then(
        (found) => chunk.forEach((id) => batch.get(id)!.forEach((w) => w.resolve(found.get(id) ?? null))),
        (error) => chunk.forEach((id) => batch.get(id)!.forEach((w) => w.reject(error))),
      );
    }
  }
}
