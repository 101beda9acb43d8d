/** `flywheel sweep run` flags for the 75-combination sma-cross grid on GOOG.csv (fast < slow), ranked by equityFinal. */
export const GOOG_SMA_GRID_FLAGS = [
  '--data',
  'data/ohlcv/GOOG.csv',
  '--strategy',
  'sma-cross',
  '--grid',
  'fast=5:50:5',
  '--grid',
  'slow=10:100:10',
  '--constraint',
  'fast<slow',
  '--objective',
  'equityFinal',
] as const;
