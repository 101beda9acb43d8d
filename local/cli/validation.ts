import type { z } from 'zod';
import { InputError } from './errors';

/** Engine option names as the command line spells them. */
const FLAG_NAMES: Record<string, string> = {
  cash: '--cash',
  commission: '--commission',
  spread: '--spread',
  slippageBps: '--slippage-bps',
  fractional: '--fractional',
  lotStep: '--lot-step',
  longOnly: '--long-only',
  stopLossPct: '--stop-loss',
  takeProfitPct: '--take-profit',
  from: '--from',
  to: '--to',
};

/** Parses with a zod schema; failures become an InputError naming each flag and its problem. */
export function parseOrExplain<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    return `${FLAG_NAMES[key] ?? key}: ${issue.message}`;
  });
  throw new InputError(problems.join('; '));
}
