import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkEnvironment } from '@shared/deps/environment';
import type { Finding } from '@shared/deps/model';
import { parsePyproject } from '@shared/deps/pyproject';
import { InputError } from '../cli/errors';
import { writeFileAtomic } from '../files';

/** The first line of every .envrc this command writes: how it recognises its own file. */
const ENVRC_MARK = '# Written by `flywheel deps env`';

/** An .envrc for direnv (2.32 or newer honours VIRTUAL_ENV in `layout python`): create and activate ./.venv. */
export function envrcText(pythonBin: string): string {
  return [
    `${ENVRC_MARK}: direnv creates this project's .venv on first use and activates it here.`,
    '# Needs direnv 2.32 or newer, which honours VIRTUAL_ENV in `layout python`. Run `direnv allow` once.',
    'export VIRTUAL_ENV="$PWD/.venv"',
    `layout python ${pythonBin}`,
    '',
  ].join('\n');
}

/** Writes `.envrc` in `dir`; an .envrc someone else wrote is kept unless `force`. */
export async function writeEnvrc(
  dir: string,
  pythonBin: string,
  force: boolean,
): Promise<'written' | 'unchanged'> {
  const path = join(dir, '.envrc');
  const text = envrcText(pythonBin);
  if (existsSync(path)) {
    const current = readFileSync(path, 'utf8');
    if (current === text) return 'unchanged';
    if (!current.startsWith(ENVRC_MARK) && !force)
      throw new InputError(
        `${path} exists and was not written by flywheel; keep it, or replace it with --force (it sets VIRTUAL_ENV and runs \`layout python ${pythonBin}\`)`,
      );
  }
  await writeFileAtomic(path, text);
  return 'written';
}

const realpath = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
};

/** Gathers what `deps env --check` judges from the disk and the environment, and judges it. */
export function checkProjectEnvironment(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
): Finding[] {
  const projectVenv = realpath(join(dir, '.venv'));
  const label = (path: string) => relative(dir, path) || path;
  const cfgPath = join(dir, '.venv', 'pyvenv.cfg');
  const pyprojectPath = join(dir, 'pyproject.toml');
  return checkEnvironment({
    projectVenv,
    projectVenvLabel: label(join(dir, '.venv')),
    activeVenv: env.VIRTUAL_ENV ? realpath(resolve(dir, env.VIRTUAL_ENV)) : undefined,
    pyvenvCfg: existsSync(cfgPath)
      ? { file: label(cfgPath), text: readFileSync(cfgPath, 'utf8') }
      : undefined,
    pyproject: existsSync(pyprojectPath)
      ? parsePyproject(readFileSync(pyprojectPath, 'utf8'), label(pyprojectPath))
      : undefined,
  });
}
