import type { ParamSpecs, ParamValues } from '../strategies/api';

/** A one-line title such as "sma-cross (fast=10, slow=20) on GOOG.csv". */
export function describeRun(strategy: string, params: ParamValues<ParamSpecs>, dataName: string): string {
  const list = Object.entries(params)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return `${strategy}${list ? ` (${list})` : ''} on ${dataName}`;
}
