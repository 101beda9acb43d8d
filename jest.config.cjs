/** Jest 30 with @swc/jest; types are checked separately by `npm run typecheck`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // @middy/core ships ES modules only: let swc compile it like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/shared/$1' },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  reporters: ['<rootDir>/test/support/summary-reporter.cjs'],
  testTimeout: 60_000,
};
