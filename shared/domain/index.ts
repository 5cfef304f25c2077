/** The pure domain rules of yimei-credit: no I/O, no AWS. */
export * from './calendar.ts';
export * from './dates.ts';
export * from './dishonesty.ts';
export * from './downgrade.ts';
export * from './errors.ts';
export * from './grading.ts';
export * from './inspection.ts';
export * from './lifecycle.ts';
export * from './measures.ts';
export * from './review.ts';
export * from './types.ts';
export * from './upgrade.ts';
export * from './uscc.ts';
export * from './watchlist.ts';
