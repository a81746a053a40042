/** ROC AUC by average ranks (ties share their rank). Temporary until training/metrics lands. */
export function rocAuc(label: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = label.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (label[order[k]!]) {
        rankSumPos += rank;
        pos++;
      }
    i = j + 1;
  }
  const neg = n - pos;
  return pos === 0 || neg === 0 ? 0.5 : (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}
