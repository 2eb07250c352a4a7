import { describe, expect, it } from 'vitest';
import { Marks, ScoreBoard } from './scratch.js';

describe('Marks', () => {
  it('forgets everything on reset, and grows', () => {
    const marks = new Marks().reset(4);
    marks.add(1);
    marks.add(3);
    expect([0, 1, 2, 3].map((id) => marks.has(id))).toEqual([false, true, false, true]);
    marks.reset(100);
    expect(marks.has(1)).toBe(false);
    marks.add(99);
    expect(marks.has(99)).toBe(true);
  });
});

describe('ScoreBoard', () => {
  it('sums per document and multiplies by the number of terms matched', () => {
    const board = new ScoreBoard();
    board.reset(10, [2, 5]);
    board.add(2, 0, 1);
    board.add(2, 0, 1);
    board.add(2, 1, 2);
    board.add(5, 1, 3);
    expect(board.scoreOf(2)).toBe(8);
    expect(board.scoreOf(5)).toBe(3);
    board.reset(10, [2]);
    expect(board.scoreOf(2)).toBe(0);
  });
});
