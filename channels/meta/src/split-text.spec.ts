import { splitText } from './split-text';

describe('splitText', () => {
  it('keeps a short text whole', () => {
    expect(splitText('  سلام  ', 100)).toEqual(['سلام']);
    expect(splitText('   ', 100)).toEqual([]);
  });

  it('splits on word breaks within the byte limit, never inside a character', () => {
    const text = 'سلام دنیا 😀 '.repeat(20).trim();
    const parts = splitText(text, 50);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(50);
    expect(parts.join(' ')).toBe(text);
    expect(parts.join('')).not.toContain('\uFFFD');
  });

  it('cuts a word longer than the limit', () => {
    expect(splitText('a'.repeat(25), 10)).toEqual(['a'.repeat(10), 'a'.repeat(10), 'a'.repeat(5)]);
  });
});
