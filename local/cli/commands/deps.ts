import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyEdits } from '@shared/deps/apply-edits';
import { isPyproject } from '@shared/deps/check/check';
import { type Finding, RULE_IDS, SEVERITIES, type Severity, type TextEdit } from '@shared/deps/model';
import { parsePyproject } from '@shared/deps/pyproject';
import { publicFinding } from '@shared/deps/report';
import { parseRequirementsFile } from '@shared/deps/requirements';
import { RULES } from '@shared/deps/rules-catalog';
import { toSarif } from '@shared/deps/sarif';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { createTwoFilesPatch } from 'diff';
import packageJson from '../../../package.json';
import { checkProjectEnvironment, writeEnvrc } from '../../deps/environment';
import { runDepsCheck } from '../../deps/run-check';
import { readInputFile, writeFileAtomic } from '../../files';
import { ExitCode } from '../errors';
import type { CliIo } from '../io';
import { renderDepsText } from '../render/deps-output';
import { depsParseRecords, renderParseTable } from '../render/deps-parse-output';

const FAIL_ON = [...SEVERITIES, 'never'] as const;
type FailOn = (typeof FAIL_ON)[number];

interface CommonFlags {
  python?: string;
  requirePins?: boolean;
  config?: string;
  failOn: FailOn;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Exit 1 when some finding is at or above the --fail-on level. */
function failed(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return findings.some((finding) => RANK[finding.severity] >= RANK[failOn]);
}

function pythonArgument(text: string): string {
  if (!/^\d+\.\d+$/.test(text)) throw new InvalidArgumentError('expected X.Y, e.g. 3.12.');
  return text;
}

function addCommonOptions(command: Command): Command {
  return command
    .option(
      '--python <X.Y>',
      'the Python to judge requires-python, markers and backports against (default 3.13)',
      pythonArgument,
    )
    .option('--require-pins', 'report requirements not pinned with == (rule unpinned)')
    .option(
      '--config <file>',
      'settings file (default: flywheel.config.* deps:, and [tool.flywheel] in pyproject.toml)',
    )
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level')
        .choices(FAIL_ON)
        .default('error'),
    );
}

const RULES_HELP = RULE_IDS.map((id) => `  ${id.padEnd(17)} ${RULES[id].summary}`).join('\n');

/** `flywheel deps check|parse|fix`: the dependency guard for Python manifests. */
export function registerDepsCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const deps = program
    .command('deps')
    .description('Check Python manifests (requirements files, pyproject.toml) before anything installs');

  addCommonOptions(
    deps
      .command('check')
      .description(
        'Check manifests: deprecated names, conflicts, hashes, pins, lock files and the target Python',
      )
      .argument(
        '[paths...]',
        'files or folders (folders are searched recursively; default: the current folder)',
      ),
  )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
    )
    .option('--json', 'same as --format json')
    .option('--output <file>', 'write the report to this file instead of standard output')
    .option(
      '--online',
      'also ask PyPI, the npm registry and OSV: unknown names, yanked and deprecated versions, vulnerabilities (cached 24 h)',
    )
    .addHelpText(
      'after',
      `
Rules:
${RULES_HELP}

Settings (flywheel.config.yaml under deps:, or [tool.flywheel] in pyproject.toml):
  ignore:     [{ rule: deprecated-name, package: gym, reason: "legacy env" }]
  deprecated: [{ name: old-lib, replacement: new-lib, category: RENAMED, reason: "…" }]
  exclude:    ["vendor/**"]      python: "3.12"      requirePins: true

Examples:
  flywheel deps check
  flywheel deps check requirements.txt --python 3.11 --require-pins
  flywheel deps check . --format sarif --output deps.sarif --fail-on warning
  flywheel deps check --online requirements.txt     # also PyPI, npm and OSV (cached 24 h)

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 bad usage or unreadable input.`,
    )
    .action(
      async (paths: string[], flags: CommonFlags & { format: string; json?: boolean; output?: string }) => {
        const format = flags.json ? 'json' : flags.format;
        const result = await runDepsCheck(paths, io.cwd, io.env, flags);
        let report: string;
        if (format === 'json') {
          report = `${JSON.stringify({ files: result.files, findings: result.findings.map(publicFinding) }, null, 2)}\n`;
        } else if (format === 'sarif') {
          const sarif = toSarif({
            version: packageJson.version,
            sourceRoot: pathToFileURL(`${io.cwd.replace(/\/?$/, '/')}`).href,
            files: result.files,
            findings: result.findings,
          });
          report = `${JSON.stringify(sarif, null, 2)}\n`;
        } else {
          report = renderDepsText(result, {
            colour: Boolean(io.colour) && !flags.output,
            python: result.options.python,
          });
        }
        if (flags.output) {
          const written = await writeFileAtomic(resolve(io.cwd, flags.output), report);
          io.err(
            `Report written to ${written} (${result.findings.length} findings in ${result.files.length} manifests).\n`,
          );
        } else {
          io.out(report);
        }
        if (failed(result.findings, flags.failOn)) setExitCode(ExitCode.Failure);
      },
    );

  deps
    .command('parse')
    .description('Print every requirement of one file: name, extras, specifier, marker, URL, or the error')
    .argument('<file>', 'a requirements file or pyproject.toml')
    .option('--json', 'print one JSON object per requirement and line (NDJSON)')
    .addHelpText(
      'after',
      `
With --json each line is { "line", "raw", "name", "normalizedName", "extras", "specifier", "marker", "url",
"editable", "error" }; for an invalid requirement "error" says why and the other fields are null.
Comments, blank lines and option lines (-r, --index-url, …) print nothing.

Example:
  flywheel deps parse requirements.txt --json | jq -r 'select(.error) | "\\(.line): \\(.error)"'`,
    )
    .action(async (file: string, flags: { json?: boolean }) => {
      const path = resolve(io.cwd, file);
      const text = await readInputFile(path, 'manifest');
      const entries = isPyproject(path)
        ? parsePyproject(text, file).entries
        : parseRequirementsFile(stripBom(text), file, io.env).entries;
      const records = depsParseRecords(entries);
      if (flags.json) io.out(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
      else io.out(renderParseTable(records));
      if (records.some((record) => record.error !== null)) setExitCode(ExitCode.Failure);
    });

  registerEnvCommand(deps, io, setExitCode);

  addCommonOptions(
    deps
      .command('fix')
      .description(
        'Rewrite what can be fixed: renamed packages, `=` → `==`, artefact and backport lines removed',
      )
      .argument('<files...>', 'requirements files or pyproject.toml files to rewrite'),
  )
    .option('--dry-run', 'print the changes as a unified diff and write nothing')
    .addHelpText(
      'after',
      `
Only the files named are rewritten, each atomically; comments, order and formatting stay as they were.
Afterwards the remaining findings are printed; the exit code follows --fail-on as for deps check.

Examples:
  flywheel deps fix requirements.txt --dry-run
  flywheel deps fix requirements.txt requirements-dev.txt`,
    )
    .action(async (files: string[], flags: CommonFlags & { dryRun?: boolean }) => {
      const before = await runDepsCheck(files, io.cwd, io.env, flags);
      const targets = new Set(
        before.files.filter((file) =>
          files.some((given) => resolve(io.cwd, given) === resolve(io.cwd, file)),
        ),
      );
      let changed = 0;
      for (const file of targets) {
        const edits: TextEdit[] = before.findings
          .flatMap((finding) => finding.edits ?? [])
          .filter((edit) => edit.file === file);
        if (edits.length === 0) continue;
        const path = resolve(io.cwd, file);
        const original = await readInputFile(path, 'manifest');
        const { text } = applyEdits(original, edits);
        if (text === original) continue;
        changed++;
        if (flags.dryRun) io.out(createTwoFilesPatch(file, file, original, text, '', '', { context: 3 }));
        else {
          await writeFileAtomic(path, text);
          io.err(`Fixed ${file} (${edits.length} change${edits.length === 1 ? '' : 's'}).\n`);
        }
      }
      if (changed === 0) io.err('Nothing to fix automatically.\n');
      const after = flags.dryRun ? before : await runDepsCheck(files, io.cwd, io.env, flags);
      const remaining = flags.dryRun
        ? after.findings.filter((finding) => !finding.edits?.length)
        : after.findings;
      if (remaining.length > 0) {
        io.err(`${flags.dryRun ? 'Would remain' : 'Remaining'}:\n`);
        io.err(
          renderDepsText({ ...after, findings: remaining }, { colour: false, python: after.options.python }),
        );
      }
      if (failed(remaining, flags.failOn)) setExitCode(ExitCode.Failure);
    });
}

/** `deps env`: write the direnv .envrc, or check the active environment. */
function registerEnvCommand(deps: Command, io: CliIo, setExitCode: (code: number) => void): void {
  deps
    .command('env')
    .description(
      "Write an .envrc that creates and activates the project's .venv (direnv), or check the environment",
    )
    .option(
      '--check',
      "report when VIRTUAL_ENV is not this project's .venv, or its Python breaks requires-python",
    )
    .option('--python-bin <exe>', 'the Python direnv makes the .venv with', 'python3')
    .option('--force', 'replace an .envrc that flywheel did not write')
    .option('--json', 'with --check: print { findings } as JSON')
    .addHelpText(
      'after',
      `
Without --check it writes .envrc in the current folder:
  export VIRTUAL_ENV="$PWD/.venv"
  layout python python3
then \`direnv allow\` activates it whenever you enter the folder (direnv 2.32 or newer).

Examples:
  flywheel deps env && direnv allow
  flywheel deps env --check          # exit 1 when the environment is wrong`,
    )
    .action(async (flags: { check?: boolean; pythonBin: string; force?: boolean; json?: boolean }) => {
      if (!flags.check) {
        const outcome = await writeEnvrc(io.cwd, flags.pythonBin, Boolean(flags.force));
        io.out(
          outcome === 'unchanged'
            ? '.envrc is up to date.\n'
            : 'Wrote .envrc. Run `direnv allow` to create and activate .venv (direnv 2.32 or newer).\n',
        );
        return;
      }
      const findings = checkProjectEnvironment(io.cwd, io.env);
      if (flags.json) io.out(`${JSON.stringify({ findings: findings.map(publicFinding) }, null, 2)}\n`);
      else if (findings.length === 0)
        io.out(`The active environment is this project's .venv, and its Python is allowed.\n`);
      else io.out(renderDepsText({ files: [], findings, ignored: 0 }, { colour: Boolean(io.colour) }));
      if (findings.length > 0) setExitCode(ExitCode.Failure);
    });
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
