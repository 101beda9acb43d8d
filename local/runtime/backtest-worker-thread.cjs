'use strict';
// Worker threads do not inherit the main thread's module hooks: register tsx (with the repository's tsconfig,
// for the @shared alias) before loading the TypeScript worker.
const { join } = require('node:path');
process.env.TSX_TSCONFIG_PATH ??= join(__dirname, '..', '..', 'tsconfig.json');
require('tsx/cjs');
module.exports = require('./backtest-worker-thread.ts').default;
