/**
 * How a market order fills, shared by the backtest engine and the PaperBroker so paper trading gives the
 * backtest's trades: prices after spread and slippage, sizing from cash, protective exits within a bar.
 * Every function is allocation-free: the backtest loop calls them on every bar.
 */

/** Decimal places of a lot step (0.001 → 3), so rounded sizes print exactly. */
export function lotDecimals(step: number): number {
  const [mantissa = '', exponent = '0'] = step.toExponential().split('e');
  const fractionDigits = (mantissa.split('.')[1] ?? '').length;
  return Math.max(0, fractionDigits - Number(exponent));
}

/** An entry's fill price: spread then slippage against the trader (direction 1 long, -1 short). */
export function entryFillPrice(
  basePrice: number,
  direction: number,
  spread: number,
  slippage: number,
): number {
  return basePrice * (1 + direction * spread) * (1 + direction * slippage);
}

/** An exit's fill price: slippage against the trader; `direction` is the side being closed (1 long). */
export function exitFillPrice(basePrice: number, direction: number, slippage: number): number {
  return basePrice * (1 - direction * slippage);
}

/** How units are rounded: whole units, any fraction, or multiples of a lot step (`decimals` from lotDecimals). */
export interface SizingRule {
  readonly fractional: boolean;
  readonly lotStep: number | undefined;
  readonly decimals: number;
}

/** The most units `cash` pays for at `price` plus commission on entry, rounded down as the rule says. */
export function affordableUnits(
  cash: number,
  price: number,
  commissionRate: number,
  rule: SizingRule,
): number {
  if (!(cash > 0)) return 0;
  const perUnit = price * (1 + commissionRate);
  const raw = cash / perUnit;
  const lotStep = rule.lotStep;
  if (lotStep === undefined) return rule.fractional ? raw : Math.floor(raw);
  let lots = Math.floor(raw / lotStep + 1e-9);
  let units = Number((lots * lotStep).toFixed(rule.decimals));
  while (units > 0 && units * perUnit > cash) {
    lots--;
    units = Number((lots * lotStep).toFixed(rule.decimals));
  }
  return units;
}

/** No protective exit triggered. */
export const NO_EXIT = 0;
/** The bar opened through the stop-loss: it fills at the open. */
export const STOP_LOSS_AT_OPEN = 1;
/** The bar opened through the take-profit: it fills at the open. */
export const TAKE_PROFIT_AT_OPEN = 2;
/** The bar traded through the stop-loss: it fills at its level. */
export const STOP_LOSS_AT_LEVEL = 3;
/** The bar traded through the take-profit: it fills at its level. */
export const TAKE_PROFIT_AT_LEVEL = 4;

/** Which protective exit a bar triggers, and at which price (see the constants above). */
export type ProtectiveExit =
  | typeof NO_EXIT
  | typeof STOP_LOSS_AT_OPEN
  | typeof TAKE_PROFIT_AT_OPEN
  | typeof STOP_LOSS_AT_LEVEL
  | typeof TAKE_PROFIT_AT_LEVEL;

/**
 * Which protective exit a bar triggers for a signed position: a gap through a level fills at the open; within
 * the bar the stop-loss wins over the take-profit. NaN levels never trigger.
 */
export function protectiveExit(
  size: number,
  barOpen: number,
  high: number,
  low: number,
  stopLevel: number,
  takeLevel: number,
): ProtectiveExit {
  if (size > 0) {
    if (barOpen <= stopLevel) return STOP_LOSS_AT_OPEN;
    if (barOpen >= takeLevel) return TAKE_PROFIT_AT_OPEN;
    if (low <= stopLevel) return STOP_LOSS_AT_LEVEL;
    if (high >= takeLevel) return TAKE_PROFIT_AT_LEVEL;
  } else if (size < 0) {
    if (barOpen >= stopLevel) return STOP_LOSS_AT_OPEN;
    if (barOpen <= takeLevel) return TAKE_PROFIT_AT_OPEN;
    if (high >= stopLevel) return STOP_LOSS_AT_LEVEL;
    if (low <= takeLevel) return TAKE_PROFIT_AT_LEVEL;
  }
  return NO_EXIT;
}

/** The stop-loss level `distance` (a fraction; NaN for none) against a position entered at `entryPrice`. */
export function stopLossLevel(entryPrice: number, direction: number, distance: number): number {
  return entryPrice * (1 - direction * distance);
}

/** The take-profit level `distance` (a fraction; NaN for none) in favour of a position entered at `entryPrice`. */
export function takeProfitLevel(entryPrice: number, direction: number, distance: number): number {
  return entryPrice * (1 + direction * distance);
}

/** The base price a triggered protective exit fills at, before exit slippage. */
export function protectiveExitBasePrice(
  exit: ProtectiveExit,
  barOpen: number,
  stopLevel: number,
  takeLevel: number,
): number {
  if (exit === STOP_LOSS_AT_OPEN || exit === TAKE_PROFIT_AT_OPEN) return barOpen;
  return exit === STOP_LOSS_AT_LEVEL ? stopLevel : takeLevel;
}

/** Whether a triggered protective exit is the stop-loss or the take-profit. */
export function protectiveExitReason(exit: ProtectiveExit): 'stop-loss' | 'take-profit' {
  return exit === STOP_LOSS_AT_OPEN || exit === STOP_LOSS_AT_LEVEL ? 'stop-loss' : 'take-profit';
}
