/**
 * Why a trade ended. `end` marks the trade still open when the data ran out; `liquidated` a position closed
 * at the close of the bar on which equity fell to zero or below, which ends the backtest.
 */
export type ExitReason = 'signal' | 'stop-loss' | 'take-profit' | 'liquidated' | 'end';

/** One round trip. Bars are indices into the input; a short's size is negative. */
export interface Trade {
  readonly entryBar: number;
  readonly exitBar: number;
  /** Epoch ms of the entry and exit bars. */
  readonly entryTime: number;
  readonly exitTime: number;
  readonly side: 'long' | 'short';
  readonly size: number;
  /** Fill prices after spread and slippage. */
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Net profit after both commissions (only the entry one for a trade still open). */
  readonly pnl: number;
  /** pnl divided by the entry value (|size| × entryPrice), in percent. */
  readonly returnPct: number;
  /** Commission paid for this trade, entry and exit. */
  readonly commission: number;
  readonly exitReason: ExitReason;
}
