/**
 * npm deprecations the guard knows without asking the registry, for lock entries whose `deprecated` field is
 * missing: a lock written before the deprecation, or through a registry mirror that drops deprecations (the one
 * these machines reach does). Rows come from data/deps/deprecated-names.md ("npm side"), with the messages npm
 * prints; a test keeps the two in step. `range` is the versions the message covers (`*`: every version).
 */
export interface NpmDeprecation {
  readonly name: string;
  readonly range: string;
  readonly message: string;
}

export const NPM_DEPRECATIONS: readonly NpmDeprecation[] = [
  {
    name: 'request',
    range: '*',
    message: 'request has been deprecated, see https://github.com/request/request/issues/3142',
  },
  { name: 'har-validator', range: '*', message: 'this library is no longer supported' },
  {
    name: 'inflight',
    range: '*',
    message:
      'This module is not supported, and leaks memory. Do not use it. Check out lru-cache if you want a good and tested way to coalesce async requests by a key value, which is much more comprehensive and powerful.',
  },
  { name: 'glob', range: '<9', message: 'Glob versions prior to v9 are no longer supported' },
  { name: 'rimraf', range: '<4', message: 'Rimraf versions prior to v4 are no longer supported' },
  {
    name: 'uuid',
    range: '<7',
    message:
      'Please upgrade  to version 7 or higher.  Older versions may use Math.random() in certain circumstances, which is known to be problematic.  See https://v8.dev/blog/math-random for details.',
  },
  {
    // Not `<1`: 0.5.5 and 0.5.6 carry no deprecation (real lockfiles written with npm 10 lock them without one).
    name: 'mkdirp',
    range: '<0.5.5',
    message:
      'Legacy versions of mkdirp are no longer supported. Please update to mkdirp 1.x. (Note that the API surface has changed to use Promises in 1.x.)',
  },
  {
    name: 'debug',
    range: '>=3.2.0 <3.2.7 || >=4 <4.3.1',
    message:
      'Debug versions >=3.2.0 <3.2.7 || >=4 <4.3.1 have a low-severity ReDos regression when used in a Node.js environment. It is recommended you upgrade to 3.2.7 or 4.3.1. (https://github.com/visionmedia/debug/issues/797)',
  },
  {
    name: 'core-js',
    range: '<3.23.3',
    message:
      'core-js@<3.23.3 is no longer maintained and not recommended for usage due to the number of issues. Because of the V8 engine whims, feature detection in old core-js versions could cause a slowdown up to 100x even if nothing is polyfilled. Some versions have web compatibility issues. Please, upgrade your dependencies to the actual version of core-js.',
  },
  {
    name: 'lodash.isequal',
    range: '*',
    message: "This package is deprecated. Use require('node:util').isDeepStrictEqual instead.",
  },
  {
    name: 'querystring',
    range: '*',
    message: 'The querystring API is considered Legacy. new code should use the URLSearchParams API instead.',
  },
  {
    name: 'w3c-hr-time',
    range: '*',
    message: "Use your platform's native performance.now() and performance.timeOrigin.",
  },
  {
    name: 'source-map-resolve',
    range: '*',
    message: 'See https://github.com/lydell/source-map-resolve#deprecated',
  },
  { name: 'source-map-url', range: '*', message: 'See https://github.com/lydell/source-map-url#deprecated' },
  { name: 'resolve-url', range: '*', message: 'https://github.com/lydell/resolve-url#deprecated' },
  { name: 'urix', range: '*', message: 'Please see https://github.com/lydell/urix#deprecated' },
  {
    name: 'json-schema-ref-parser',
    range: '*',
    message: 'Please switch to @apidevtools/json-schema-ref-parser',
  },
  { name: 'node-domexception', range: '*', message: "Use your platform's native DOMException instead" },
  { name: '@humanwhocodes/config-array', range: '*', message: 'Use @eslint/config-array instead' },
  { name: '@esbuild-kit/esm-loader', range: '*', message: 'Merged into tsx: https://tsx.hirok.io' },
  {
    name: 'prebuild-install',
    range: '*',
    message:
      'No longer maintained. Please contact the author of the relevant native addon; alternatives are available.',
  },
  {
    name: 'whatwg-encoding',
    range: '*',
    message: 'Use @exodus/bytes instead for a more spec-conformant and faster implementation',
  },
  {
    name: 'phin',
    range: '*',
    message: 'Package no longer supported. Contact Support at https://www.npmjs.com/support for more info.',
  },
  {
    // babel 5 was the compiler itself; only the 6.x stub points elsewhere.
    name: 'babel',
    range: '^6.0.0',
    message:
      'In 6.x, the babel package has been deprecated in favor of babel-cli. Check https://opencollective.com/babel to support the Babel maintainers',
  },
  {
    // Until 10.x these were real types; uuid 11 ships its own, and @types/uuid 11 is the stub.
    name: '@types/uuid',
    range: '>=11',
    message:
      'This is a stub types definition. uuid provides its own type definitions, so you do not need this installed.',
  },
];
