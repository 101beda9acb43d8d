import type { Finding, Severity } from '@shared/deps/model';
import { createColors } from 'picocolors';

/** A check's findings as text, grouped by file, with a summary line; coloured when asked. */
export function renderDepsText(
  result: { files: readonly string[]; findings: readonly Finding[]; ignored: number },
  options: { colour: boolean; python?: string },
): string {
  const c = createColors(options.colour);
  const paint: Record<Severity, (text: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan };
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const finding of result.findings)
    byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  for (const [file, findings] of byFile) {
    lines.push(c.bold(c.underline(file)));
    const place = (f: Finding) => `${f.line}:${f.column}`;
    const placeWidth = Math.max(...findings.map((f) => place(f).length));
    const ruleWidth = Math.max(...findings.map((f) => f.ruleId.length));
    for (const finding of findings) {
      const head = `  ${c.dim(place(finding).padEnd(placeWidth))}  ${paint[finding.severity](finding.severity.padEnd(7))}  ${c.dim(finding.ruleId.padEnd(ruleWidth))}  `;
      lines.push(`${head}${finding.message}`);
      if (finding.fix)
        lines.push(`  ${' '.repeat(placeWidth + ruleWidth + 13)}${c.green('fix:')} ${finding.fix}`);
    }
    lines.push('');
  }
  const count = (severity: Severity) => result.findings.filter((f) => f.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const counts = `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
  const summary = options.python
    ? `${counts} in ${plural(result.files.length, 'manifest')} (target Python ${options.python})`
    : counts;
  const ignored = result.ignored > 0 ? `; ${plural(result.ignored, 'finding')} ignored by configuration` : '';
  lines.push(
    result.findings.length === 0 ? c.green(`No problems: ${summary}${ignored}.`) : `${summary}${ignored}.`,
  );
  const fixable = new Set(result.findings.filter((f) => f.edits && f.edits.length > 0).map((f) => f.file));
  if (fixable.size > 0) lines.push(`Automatic fixes available: flywheel deps fix ${[...fixable].join(' ')}`);
  return `${lines.join('\n')}\n`;
}
