import { parseScore } from './survey-text';

describe('parseScore', () => {
  it.each([
    ['5', 5],
    ['۵', 5],
    ['٤', 4],
    [' 3 ', 3],
    ['1.', 1],
    ['4/5', 4],
    ['۴ از ۵', 4],
    ['2 of 5', 2],
  ])('reads %j as %d', (text, score) => expect(parseScore(text)).toBe(score));

  it.each(['0', '6', '10', '5 stars are too few', 'ok', '', null, '3 4'])('does not read %j as a rating', (text) => expect(parseScore(text)).toBeNull());
});
