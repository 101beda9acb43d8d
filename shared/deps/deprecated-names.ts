import type { DeprecatedName } from './model';

/** A row of the built-in table, with what the rule needs beyond a user's own entry. */
export interface KnownName extends DeprecatedName {
  /** BACKPORT: the Python version whose standard library has the module (the backport is harmful from then on). */
  readonly stdlibSince?: string;
  /** FAILS only for the newest releases: an exact pin to an old release still installs. */
  readonly oldReleasesInstall?: boolean;
  /** Lower-confidence rows: never more than a warning. */
  readonly lowConfidence?: boolean;
}

/**
 * PyPI names that break or mislead an install, from data/deps/deprecated-names.md (each row cites its evidence
 * there); a test keeps this table and that file in step. Names are PEP 503-normalised.
 */
export const KNOWN_NAMES: readonly KnownName[] = [
  {
    name: 'sklearn',
    category: 'FAILS',
    replacement: 'scikit-learn',
    reason:
      "every install raises \"The 'sklearn' PyPI package is deprecated, use 'scikit-learn'\" (since 2023-12-01)",
  },
  {
    name: 'skimage',
    category: 'FAILS',
    replacement: 'scikit-image',
    reason: 'only skimage==0.0 exists, and its setup step errors out',
  },
  {
    name: 'tensorflow-gpu',
    category: 'FAILS',
    replacement: 'tensorflow',
    reason:
      'releases since December 2022 are empty packages that raise "The tensorflow-gpu package has been removed"',
    oldReleasesInstall: true,
  },
  {
    name: 'cv2',
    category: 'NOT-FOUND',
    replacement: 'opencv-python',
    reason: 'there is no such distribution on PyPI',
  },
  {
    name: 'opencv',
    category: 'NOT-FOUND',
    replacement: 'opencv-python',
    reason: 'there is no such distribution on PyPI',
  },
  {
    name: 'pil',
    category: 'NOT-FOUND',
    replacement: 'Pillow',
    reason: 'PIL is dead and has no installable release on PyPI',
  },
  {
    name: 'yaml',
    category: 'NOT-FOUND',
    replacement: 'PyYAML',
    reason: 'there is no such distribution on PyPI',
  },
  {
    name: 'dateutil',
    category: 'NOT-FOUND',
    replacement: 'python-dateutil',
    reason: 'there is no such distribution on PyPI',
  },
  {
    name: 'attr',
    category: 'WRONG-PKG',
    replacement: 'attrs',
    reason: "PyPI 'attr' is an unrelated project: `import attr; @attr.s` fails",
  },
  {
    name: 'jwt',
    category: 'WRONG-PKG',
    replacement: 'PyJWT',
    reason: "PyPI 'jwt' is a different library with another API, and it clobbers PyJWT",
  },
  {
    name: 'crypto',
    category: 'WRONG-PKG',
    replacement: 'pycryptodome',
    reason: "PyPI 'crypto' is an unrelated project, not the `Crypto` module",
  },
  {
    name: 'pycrypto',
    category: 'DEPRECATED',
    replacement: 'pycryptodome',
    reason: 'unmaintained since 2013, with known vulnerabilities; it fails to build on modern toolchains',
  },
  {
    name: 'dotenv',
    category: 'WRONG-PKG',
    replacement: 'python-dotenv',
    reason: "PyPI 'dotenv' is a different, abandoned project without load_dotenv",
  },
  {
    name: 'docx',
    category: 'WRONG-PKG',
    replacement: 'python-docx',
    reason: "PyPI 'docx' is a Python 2 predecessor: `import docx` fails on Python 3",
  },
  {
    name: 'serial',
    category: 'WRONG-PKG',
    replacement: 'pyserial',
    reason: "PyPI 'serial' is an unrelated (de)serialisation framework that shadows pyserial's `serial`",
  },
  {
    name: 'bs4',
    category: 'DUMMY-OK',
    replacement: 'beautifulsoup4',
    reason: 'a placeholder that only depends on beautifulsoup4',
  },
  {
    name: 'telegram',
    category: 'WRONG-PKG',
    replacement: 'python-telegram-bot',
    reason: "PyPI 'telegram' squats the module name: `from telegram import Update` fails",
  },
  {
    name: 'binance',
    category: 'WRONG-PKG',
    replacement: 'python-binance',
    reason: "PyPI 'binance' is an unrelated tiny project: `binance.client` does not exist",
  },
  {
    name: 'fbprophet',
    category: 'RENAMED',
    replacement: 'prophet',
    reason: "renamed to 'prophet' in 1.0; old source releases fail to build on modern Python",
  },
  {
    name: 'pypdf2',
    category: 'DEPRECATED',
    replacement: 'pypdf',
    reason: 'deprecated upstream ("Please move to the pypdf library instead")',
  },
  {
    name: 'gym',
    category: 'DEPRECATED',
    replacement: 'gymnasium',
    reason: 'unmaintained: "Gym will not be receiving any future updates. Please switch over to Gymnasium"',
  },
  {
    name: 'ib-insync',
    category: 'ABANDONED',
    replacement: 'ib_async',
    reason: 'abandoned in 2024; the project continues as the community fork ib_async',
  },
  {
    name: 'alpaca-trade-api',
    category: 'DEPRECATED',
    replacement: 'alpaca-py',
    reason: 'deprecated by Alpaca in favour of alpaca-py (a different API)',
  },
  {
    name: 'mysql-python',
    category: 'DEPRECATED',
    replacement: 'mysqlclient',
    reason: 'Python 2 only: it fails on Python 3 with "No module named \'ConfigParser\'"',
  },
  {
    name: 'enum34',
    category: 'BACKPORT',
    replacement: null,
    reason: 'it shadows the standard enum module and breaks pip and re (AttributeError: IntFlag)',
    stdlibSince: '3.4',
  },
  {
    name: 'typing',
    category: 'BACKPORT',
    replacement: null,
    reason: "it shadows the standard typing module and can break pip itself ('_abc_registry')",
    stdlibSince: '3.5',
  },
  {
    name: 'pathlib',
    category: 'BACKPORT',
    replacement: null,
    reason: 'an obsolete, unmaintained backport of a standard-library module',
    stdlibSince: '3.4',
  },
  {
    name: 'futures',
    category: 'BACKPORT',
    replacement: null,
    reason: 'a Python 2 backport of concurrent.futures; resolvers refuse its yanked releases',
    stdlibSince: '3.2',
  },
  {
    name: 'pkg-resources',
    category: 'ARTIFACT',
    replacement: null,
    reason: 'written by `pip freeze` on Debian and Ubuntu; no such distribution exists, so the install fails',
  },
  {
    name: 'subprocess32',
    category: 'BACKPORT',
    replacement: null,
    reason: 'a Python 2-only backport of subprocess',
    stdlibSince: '3.2',
    lowConfidence: true,
  },
  {
    name: 'pathlib2',
    category: 'BACKPORT',
    replacement: null,
    reason: 'a Python 2-era backport of pathlib',
    stdlibSince: '3.4',
    lowConfidence: true,
  },
  {
    name: 'argparse',
    category: 'BACKPORT',
    replacement: null,
    reason: 'a Python 2-era PyPI project that duplicates the standard argparse module',
    stdlibSince: '3.2',
    lowConfidence: true,
  },
  {
    name: 'slackclient',
    category: 'RENAMED',
    replacement: 'slack_sdk',
    reason: 'superseded by slack_sdk',
    lowConfidence: true,
  },
  {
    name: 'talib',
    category: 'WRONG-PKG',
    replacement: 'TA-Lib',
    reason: "the import name is talib, but the distribution is 'TA-Lib'",
    lowConfidence: true,
  },
];

/**
 * Squatters and placeholders that break the real package when both are listed (row 30 of the table): the
 * install fails, or the later one overwrites the shared module.
 */
export const CONFLICTING_PAIRS: readonly (readonly [squatter: string, real: string])[] = [
  ['sklearn', 'scikit-learn'],
  ['skimage', 'scikit-image'],
  ['serial', 'pyserial'],
  ['jwt', 'pyjwt'],
  ['telegram', 'python-telegram-bot'],
  ['attr', 'attrs'],
  ['crypto', 'pycryptodome'],
  ['dotenv', 'python-dotenv'],
  ['docx', 'python-docx'],
  ['binance', 'python-binance'],
];
