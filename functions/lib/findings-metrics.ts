import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Finding } from '@shared/deps/model';

/**
 * Emits one `Findings` count per rule that found something, each with a `rule` dimension. EMF gives every
 * metric of one record the same dimensions, so each rule goes out as its own single metric; `ManifestsChecked`
 * is buffered and flushed with the invocation's other metrics.
 */
export function recordFindings(
  metrics: Metrics,
  result: { readonly files: readonly string[]; readonly findings: readonly Finding[] },
): void {
  const byRule = new Map<string, number>();
  for (const finding of result.findings) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
  for (const [rule, count] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
    metrics.singleMetric().addDimension('rule', rule).addMetric('Findings', MetricUnit.Count, count);
  }
  metrics.addMetric('ManifestsChecked', MetricUnit.Count, result.files.length);
}
