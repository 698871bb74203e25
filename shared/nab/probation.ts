/** Rows at the start of a file that NAB never scores: 15 % of the file, at most 750 (15 % of 5000). */
export function nabProbationRows(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 750);
}
