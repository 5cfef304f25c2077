import fc from 'fast-check';

/**
 * Under mutation testing a failing property is the expected outcome for most mutants: report it at
 * the first counterexample instead of shrinking it (shrinking can outlast Stryker's timeout, turning a
 * killed mutant into a slow "timed out" one).
 */
fc.configureGlobal({ endOnFailure: true });
