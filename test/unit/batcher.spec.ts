import { Batcher, Permits } from '../../libs/infrastructure/src/platform/batcher';

/** A handler whose calls can be released one at a time, to see which items arrived together. */
function gatedHandler(fail: (item: number) => boolean = () => false) {
  const calls: number[][] = [];
  const gates: Array<() => void> = [];
  const handle = async (items: number[]) => {
    calls.push(items);
    await new Promise<void>((release) => gates.push(release));
    if (items.some(fail)) throw new Error(`bad item in ${items.join(',')}`);
    return items.map((i) => i * 10);
  };
  const releaseAll = async () => {
    for (let i = 0; i < 50 && gates.length > 0; i++) {
      gates.splice(0).forEach((release) => release());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { calls, handle, releaseAll };
}

describe('Batcher (group commit for jobs)', () => {
  it('starts a lone call at once, and hands the calls that waited meanwhile over together, each with its own result', async () => {
    const h = gatedHandler();
    const batcher = new Batcher(h.handle, { maxBatch: 3, maxInFlight: 1 });
    const results = [1, 2, 3, 4, 5, 6].map((i) => batcher.run(i));
    expect(h.calls).toEqual([[1]]);
    await h.releaseAll();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
    // The five that waited behind the first, at most three at a time.
    expect(h.calls).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('runs at most maxInFlight batches at once', async () => {
    const h = gatedHandler();
    const batcher = new Batcher(h.handle, { maxBatch: 10, maxInFlight: 2 });
    const results = [1, 2, 3, 4].map((i) => batcher.run(i));
    expect(h.calls).toEqual([[1], [2]]);
    await h.releaseAll();
    await Promise.all(results);
    expect(h.calls).toEqual([[1], [2], [3, 4]]);
  });

  it('a failing batch is run again item by item: only the bad item fails', async () => {
    const h = gatedHandler((i) => i === 3);
    const batcher = new Batcher(h.handle, { maxBatch: 10, maxInFlight: 1 });
    const results = [1, 2, 3, 4].map((i) =>
      batcher.run(i).then(
        (r) => ({ ok: r }),
        (e: Error) => ({ error: e.message }),
      ),
    );
    await h.releaseAll();
    expect(await Promise.all(results)).toEqual([{ ok: 10 }, { ok: 20 }, { error: 'bad item in 3' }, { ok: 40 }]);
    expect(h.calls).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });
});

describe('Permits (bounded work in flight)', () => {
  it('lets at most `limit` run at once, the rest in order as permits come back, also after a failure', async () => {
    const permits = new Permits(2);
    const running = new Set<number>();
    let most = 0;
    const started: number[] = [];
    const gates = new Map<number, () => void>();
    const work = (i: number) =>
      permits.use(async () => {
        started.push(i);
        running.add(i);
        most = Math.max(most, running.size);
        await new Promise<void>((release) => gates.set(i, release));
        running.delete(i);
        if (i === 1) throw new Error('one failed');
        return i;
      });
    const results = [1, 2, 3, 4, 5].map((i) => work(i).catch((e: Error) => e.message));
    const settle = () => new Promise((r) => setImmediate(r));
    await settle();
    expect(started).toEqual([1, 2]);
    for (const i of [1, 2, 3, 4, 5]) {
      gates.get(i)!();
      await settle();
      await settle();
    }
    expect(await Promise.all(results)).toEqual(['one failed', 2, 3, 4, 5]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });
});
