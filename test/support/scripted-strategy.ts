import { type Decision, defineStrategy } from '@shared/strategies/api';

/**
 * A strategy that says exactly what a test scripts: `decisions[i]` on bar i. Its one indicator has no value
 * before `warmup`, and it records every bar it was asked about and the side held then, so tests can pin when the engine asks.
 */
export function scriptedStrategy(decisions: Readonly<Record<number, Decision>>, warmup = 0) {
  const asked: number[] = [];
  const positions: string[] = [];
  const strategy = defineStrategy({
    name: 'scripted',
    description: 'test double driven by a script of decisions',
    params: {},
    indicators: (bars) => {
      const ready = new Float64Array(bars.length);
      for (let i = 0; i < Math.min(warmup, bars.length); i++) ready[i] = Number.NaN;
      return { ready };
    },
    signal: (i, _indicators, _bars, _params, position) => {
      asked.push(i);
      positions.push(position);
      return decisions[i] ?? null;
    },
  });
  return { strategy, asked, positions };
}
