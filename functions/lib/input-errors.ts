import { EmptyRangeError } from '@shared/backtest/dataset';
import { StrategyError } from '@shared/backtest/engine';
import { SourceParseError } from '@shared/content/source/errors';
import { MarketDataError } from '@shared/market-data/errors';
import { StrategyParamError } from '@shared/strategies/params';
import { InvalidStrategyError, StrategyNotFoundError } from '@shared/strategies/strategy-schema';
import { ConstraintError } from '@shared/sweep/constraint';
import { ParamSpaceError } from '@shared/sweep/param-space';
import { SweepSpecError } from '@shared/sweep/spec';
import { WalkForwardError } from '@shared/sweep/walk-forward';

const INPUT_ERRORS = [
  SweepSpecError,
  ParamSpaceError,
  ConstraintError,
  MarketDataError,
  StrategyParamError,
  StrategyNotFoundError,
  InvalidStrategyError,
  EmptyRangeError,
  WalkForwardError,
  StrategyError,
  SourceParseError,
];

/** True for errors caused by what the caller sent (HTTP 400, CLI exit code 2), whose message says what to fix. */
export function isInputError(error: unknown): boolean {
  return INPUT_ERRORS.some((type) => error instanceof type);
}
