import { describe, expect, it } from 'vitest';
import { clockFaceLines } from '../../src/screens/components/clock-face.js';

describe('clock face', () => {
  it.each([
    [12, 0],
    [3, 15],
    [9, 45],
    [6, 30],
    [10, 10],
  ])('draws %i:%i', (h, m) => {
    expect(`\n${clockFaceLines(h, m).join('\n')}\n`).toMatchSnapshot();
  });

  it('follows the time: different times draw different hands', () => {
    expect(clockFaceLines(3, 15)).not.toEqual(clockFaceLines(9, 45));
    expect(clockFaceLines(15, 15)).toEqual(clockFaceLines(3, 15));
  });

  it('points the minute hand at 3 for a quarter past and the hour hand up at noon', () => {
    const quarter = clockFaceLines(3, 15);
    const mid = quarter[6];
    // Right of the centre, on the middle row: the minute hand.
    expect(mid.slice(13)).toContain('•');
    const noon = clockFaceLines(12, 0);
    // Above the centre, in the middle column: the hour hand.
    expect(noon[4][12]).toBe('█');
  });
});
