import * as assert from 'node:assert/strict';
import { latestWins } from '../../../src/core/transport/latestWins';

describe('latestWins', () => {
  it('a slower, older settings change never overwrites a newer one', async () => {
    const applied: string[] = [];
    const configure = latestWins<string>((v) => applied.push(v));
    let releaseOld: (v: string) => void = () => undefined;
    const old = configure(() => new Promise<string>((resolve) => (releaseOld = resolve)));
    const fresh = configure(() => Promise.resolve('new CA'));
    assert.equal(await fresh, true);
    releaseOld('old CA');
    assert.equal(await old, false);
    assert.deepEqual(applied, ['new CA']);
  });

  it('applies each change that is not overtaken', async () => {
    const applied: number[] = [];
    const configure = latestWins<number>((v) => applied.push(v));
    await configure(() => Promise.resolve(1));
    await configure(() => Promise.resolve(2));
    assert.deepEqual(applied, [1, 2]);
  });
});
