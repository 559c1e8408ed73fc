import { BatchLoader } from './batch-loader';

describe('BatchLoader', () => {
  it('loads the ids asked for in one turn with one call, each id once', async () => {
    const calls: string[][] = [];
    const loader = new BatchLoader<string>(async (ids) => {
      calls.push(ids);
      return new Map(ids.filter((id) => id !== 'missing').map((id) => [id, `value of ${id}`]));
    });

    const results = await Promise.all([loader.load('a'), loader.load('b'), loader.load('a'), loader.load('missing')]);

    expect(results).toEqual(['value of a', 'value of b', 'value of a', null]);
    expect(calls).toEqual([['a', 'b', 'missing']]);
    expect(await loader.load('c')).toBe('value of c');
    expect(calls).toHaveLength(2);
  });

  it('rejects every waiter of a failed batch, and the next batch loads again', async () => {
    let fail = true;
    const loader = new BatchLoader<number>(async (ids) => {
      if (fail) throw new Error('database gone');
      return new Map(ids.map((id) => [id, id.length]));
    });

    const failed = await Promise.allSettled([loader.load('x'), loader.load('yy')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);

    fail = false;
    expect(await loader.load('yy')).toBe(2);
  });

  it('splits a large turn into batches of at most 500', async () => {
    const sizes: number[] = [];
    const loader = new BatchLoader<string>(async (ids) => {
      sizes.push(ids.length);
      return new Map(ids.map((id) => [id, id]));
    });

    const ids = Array.from({ length: 1_201 }, (_, i) => `id-${i}`);
    expect(await Promise.all(ids.map((id) => loader.load(id)))).toEqual(ids);
    expect(sizes).toEqual([500, 500, 201]);
  });
});
