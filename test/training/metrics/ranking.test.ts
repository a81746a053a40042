import { describe, expect, it } from 'vitest';
import { averagePrecision, rankScores, rocAuc, rocCurve } from '../../../training/metrics/ranking.ts';
import { seededRandom } from '../../../training/random.ts';

const y = [0, 0, 1, 1];
const s = [0.1, 0.4, 0.35, 0.8];

/** AUC by comparing every positive with every negative, ties half: the definition. */
function bruteAuc(labels: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = 0; j < labels.length; j++) {
      if (labels[i] === 1 && labels[j] === 0) {
        pairs++;
        wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
  }
  return wins / pairs;
}

describe('rocAuc', () => {
  it('matches scikit-learn on the textbook example', () => {
    expect(rocAuc(y, s)).toBeCloseTo(0.75, 12);
  });

  it('counts tied scores half (average rank)', () => {
    // Two positives tie with one negative at 2 and beat the negative at 1: (1 + 0.5) / 2.
    expect(rocAuc([0, 1, 1, 0], [1, 2, 2, 2])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, NaN with one class', () => {
    expect(rocAuc([0, 0, 1], [1, 2, 3])).toBe(1);
    expect(rocAuc([0, 0, 1], [3, 2, 1])).toBe(0);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('agrees with the pairwise definition on random tied scores', () => {
    const random = seededRandom(7);
    const labels = Array.from({ length: 300 }, () => (random() < 0.3 ? 1 : 0));
    const scores = Array.from({ length: 300 }, () => Math.floor(random() * 12));
    expect(rocAuc(labels, scores)).toBeCloseTo(bruteAuc(labels, scores), 12);
  });

  it('rejects mismatched lengths, labels other than 0/1 and non-finite scores', () => {
    expect(() => rocAuc([0, 1], [0.5])).toThrow(RangeError);
    expect(() => rocAuc([0, 2], [0.5, 0.6])).toThrow(/label at row index 1/);
    expect(() => rocAuc([0, 1], [0.5, NaN])).toThrow(/score at row index 1/);
  });
});

describe('averagePrecision', () => {
  it('matches scikit-learn average_precision_score', () => {
    // Thresholds 0.8 (P=1, R=.5), 0.4 (P=.5, R=.5), 0.35 (P=2/3, R=1): .5 * 1 + .5 * 2/3.
    expect(averagePrecision(y, s)).toBeCloseTo(0.8333333333333333, 12);
  });

  it('treats a tie group as one threshold', () => {
    // Score 2 holds two positives and a negative: precision 2/3 at recall 1.
    expect(averagePrecision([0, 1, 1, 0], [1, 2, 2, 2])).toBeCloseTo(2 / 3, 12);
  });

  it('is NaN without positives', () => {
    expect(averagePrecision([0, 0], [0.1, 0.2])).toBeNaN();
  });
});

describe('rocCurve', () => {
  it('has one point per distinct score, from (0,0) to (1,1)', () => {
    const points = rocCurve(y, s);
    expect(points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    expect(points.map((p) => p.threshold)).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
  });
});

describe('rankScores', () => {
  it('groups equal scores, best first, ties in row order', () => {
    const r = rankScores([2, 5, 2, 7]);
    expect(Array.from(r.order)).toEqual([3, 1, 0, 2]);
    expect(Array.from(r.groupScore)).toEqual([7, 5, 2]);
    expect(Array.from(r.groupStart)).toEqual([0, 1, 2, 4]);
    expect(Array.from(r.groupOf)).toEqual([2, 1, 2, 0]);
  });
});
