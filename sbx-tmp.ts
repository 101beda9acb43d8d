import { sweepBenchmark } from './bench/sweep';

sweepBenchmark(() => {}).then((r) => {
  for (const m of r.results)
    console.log(
      m.workers,
      'w',
      m.totalMs.toFixed(0),
      'ms plan',
      m.planningMs.toFixed(0),
      'queue',
      m.queueMs.toFixed(0),
      'overhead',
      m.overheadPct.toFixed(1) + '%',
    );
  console.log('speedup', r.speedup.toFixed(2), 'ceiling', r.ceiling.toFixed(2));
});
