/** Jest 30 with @swc/jest; types are checked separately by `npm run typecheck`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|m?j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // These ship ES modules only (@noble and @scure: ccxt's crypto): let swc compile them like our own code.
  transformIgnorePatterns: [
    '/node_modules/(?!(@middy|toml-eslint-parser|eslint-visitor-keys|@noble|@scure)/)',
  ],
  moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/shared/$1' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  reporters: ['<rootDir>/test/support/summary-reporter.cjs'],
  testTimeout: 60_000,
};
