#!/usr/bin/env node
'use strict';
// The CLI runs from TypeScript sources through tsx, which also loads users' strategy modules.
process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The repository's tsconfig (its @shared alias) applies wherever the command is run from.
process.env.TSX_TSCONFIG_PATH ??= require('node:path').join(__dirname, '..', 'tsconfig.json');
require('tsx/cjs');
const { runCli } = require('../local/cli/main.ts');

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`error: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
