interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for jobs: calls that arrive while earlier batches are running wait and are then handed
 * to `handle` together, so a burst costs a few large transactions instead of many small ones, while a
 * lone call on an idle worker starts at once. A batch that fails is run again item by item, so one bad
 * item fails only its own job.
 */
export class Batcher<I, R> {
  private readonly waiting: Array<Waiting<I, R>> = [];
  private running = 0;

  constructor(
    private readonly handle: (items: I[]) => Promise<R[]>,
    private readonly limits: { maxBatch: number; maxInFlight: number },
  ) {}

  run(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.running < this.limits.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.limits.maxBatch);
      this.running += 1;
      void this.runBatch(batch).finally(() => {
        this.running -= 1;
        this.drain();
      });
    }
  }

  private async runBatch(batch: Array<Waiting<I, R>>): Promise<void> {
    try {
      const results = await this.handle(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const w of batch) {
        try {
          w.resolve((await this.handle([w.item]))[0]);
        } catch (itemError) {
          w.reject(itemError);
        }
      }
    }
  }
}

/** At most `limit` holders at a time; the others wait in order. */
export class Permits {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.held >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.held += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.held -= 1;
    }
  }
}
