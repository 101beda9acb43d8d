import type { ParamSpec } from '@shared/strategies/api';
import { builtinStrategies } from '@shared/strategies/builtin';
import { describeParam } from '@shared/strategies/params';
import type { Command } from 'commander';
import type { CliIo } from '../io';
import { renderTable } from '../render/table';

function paramJson(name: string, spec: ParamSpec) {
  return {
    name,
    type: spec.type,
    default: spec.default,
    ...(spec.type !== 'boolean' && spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.type !== 'boolean' && spec.max !== undefined ? { max: spec.max } : {}),
    description: spec.description,
  };
}

/** `flywheel strategies`: the built-in strategies with their parameters and defaults. */
export function registerStrategiesCommand(program: Command, io: CliIo): void {
  program
    .command('strategies')
    .description('List the built-in strategies with their parameters and defaults')
    .option('--json', 'print the list as JSON')
    .action((flags: { json?: boolean }) => {
      if (flags.json) {
        const list = builtinStrategies.map((strategy) => ({
          name: strategy.name,
          description: strategy.description,
          params: Object.entries(strategy.params).map(([name, spec]) => paramJson(name, spec)),
        }));
        io.out(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      const blocks = builtinStrategies.map((strategy) => {
        const rows = Object.entries(strategy.params).map(([name, spec]) => [
          name,
          String(spec.default),
          describeParam(spec),
          spec.description,
        ]);
        return `${strategy.name}\n  ${strategy.description}\n\n${renderTable(
          ['  param', 'default', 'accepts', 'meaning'],
          rows.map(([first, ...rest]) => [`  ${first}`, ...rest]),
        )}`;
      });
      io.out(
        `${blocks.join('\n\n')}\n\nUse one with: flywheel backtest --data FILE --strategy NAME --param key=value\n`,
      );
    });
}
