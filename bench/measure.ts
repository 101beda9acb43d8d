/** Median time of one call, after warming the JIT up; repeats until `budgetMs` is spent (at least 3 times). */
export function medianMs(run: () => unknown, budgetMs = 300, minRuns = 3): number {
  for (let i = 0; i < 2; i++) run();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < minRuns || (performance.now() - started < budgetMs && times.length < 10_000)) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}
