import { type Finding, RULE_IDS, type Severity, type TextEdit } from './model';
import { RULES } from './rules-catalog';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** A file path as a relative URI (POSIX separators, each segment percent-encoded). */
function relativeUri(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** The tool and run facts SARIF needs. */
export interface SarifRun {
  readonly version: string;
  /** `file://` URI of the folder relative paths start from (ends with `/`). */
  readonly sourceRoot: string;
  readonly files: readonly string[];
  readonly findings: readonly Finding[];
}

/** A SARIF 2.1.0 log of one check: rules, artifacts, and one result per finding, with its fix when there is one. */
export function toSarif(run: SarifRun): Record<string, unknown> {
  const artifactIndex = new Map(run.files.map((file, index) => [file, index]));
  for (const finding of run.findings)
    if (!artifactIndex.has(finding.file)) artifactIndex.set(finding.file, artifactIndex.size);
  const location = (file: string) => ({
    uri: relativeUri(file),
    uriBaseId: '%SRCROOT%',
    index: artifactIndex.get(file)!,
  });
  const replacement = (edit: TextEdit) => ({
    deletedRegion: {
      startLine: edit.start.line,
      startColumn: edit.start.column,
      endLine: edit.end.line,
      endColumn: edit.end.column,
    },
    ...(edit.text ? { insertedContent: { text: edit.text } } : {}),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'flywheel-deps',
            semanticVersion: run.version,
            informationUri: 'https://github.com/flywheel/flywheel#dependency-guard',
            rules: RULE_IDS.map((id) => ({
              id,
              shortDescription: { text: RULES[id].summary },
              defaultConfiguration: {
                level: RULES[id].severity === 'varies' ? 'warning' : LEVEL[RULES[id].severity],
              },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: run.sourceRoot } },
        columnKind: 'utf16CodeUnits',
        artifacts: [...artifactIndex.keys()].map((file) => ({
          location: { uri: relativeUri(file), uriBaseId: '%SRCROOT%' },
        })),
        results: run.findings.map((finding) => ({
          ruleId: finding.ruleId,
          ruleIndex: RULE_IDS.indexOf(finding.ruleId),
          level: LEVEL[finding.severity],
          message: { text: finding.fix ? `${finding.message}. Fix: ${finding.fix}.` : `${finding.message}.` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: location(finding.file),
                region: { startLine: finding.line, startColumn: finding.column },
              },
            },
          ],
          ...(finding.package ? { properties: { package: finding.package } } : {}),
          ...(finding.edits && finding.edits.length > 0
            ? {
                fixes: [
                  {
                    description: { text: finding.fix ?? finding.message },
                    artifactChanges: groupByFile(finding.edits).map(([file, edits]) => ({
                      artifactLocation: location(file),
                      replacements: edits.map(replacement),
                    })),
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
}

function groupByFile(edits: readonly TextEdit[]): [string, TextEdit[]][] {
  const groups = new Map<string, TextEdit[]>();
  for (const edit of edits) groups.set(edit.file, [...(groups.get(edit.file) ?? []), edit]);
  return [...groups];
}
