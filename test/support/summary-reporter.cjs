const { DefaultReporter, SummaryReporter } = require('@jest/reporters');

// Jest calls the newer hook when a reporter has it, else the older one; forward each to whichever exists.
const HOOKS = {
  onRunStart: [],
  onTestFileStart: ['onTestStart'],
  onTestCaseStart: [],
  onTestCaseResult: [],
  onTestFileResult: ['onTestResult'],
};

/**
 * Jest's default output, then the plain line `N passed, N failed` as the very last line of the run (CI reads
 * it instead of Jest's summary). A suite that fails to load counts as one failure, so it can never pass silently.
 */
class PlainSummaryReporter {
  constructor(globalConfig, options, context) {
    this.reporters = [new DefaultReporter(globalConfig), new SummaryReporter(globalConfig, options, context)];
    for (const [hook, fallbacks] of Object.entries(HOOKS)) {
      this[hook] = (...args) =>
        Promise.all(
          this.reporters.map((reporter) => {
            const name = [hook, ...fallbacks].find((candidate) => typeof reporter[candidate] === 'function');
            return name && reporter[name](...args);
          }),
        );
    }
  }

  async onRunComplete(contexts, results) {
    for (const reporter of this.reporters) await reporter.onRunComplete?.(contexts, results);
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`${results.numPassedTests} passed, ${failed} failed\n`);
  }

  getLastError() {
    for (const reporter of this.reporters) {
      const error = reporter.getLastError?.();
      if (error) return error;
    }
    return undefined;
  }
}

module.exports = PlainSummaryReporter;
