'use strict';
// EXPERIMENT ONLY, never loaded by default. Estimates what caching the Intl.DateTimeFormat behind
// today() (libs/domain/src/time.ts) would save, without touching the project's code:
//
//   NODE_OPTIONS="-r ./scripts/bench/lib/experiment-cached-today.js" npm run bench:overview
//
// Both servers (and the benchmark) then get a Date.prototype.toLocaleDateString that reuses one
// formatter per time zone for the exact call today() makes: toLocaleDateString('sv-SE', { timeZone }).
// Every other call goes to the original.
const original = Date.prototype.toLocaleDateString;
const formatters = new Map();

Date.prototype.toLocaleDateString = function toLocaleDateString(locale, options) {
  if (locale === 'sv-SE' && options && typeof options.timeZone === 'string' && Object.keys(options).length === 1) {
    let formatter = formatters.get(options.timeZone);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat('sv-SE', { timeZone: options.timeZone });
      formatters.set(options.timeZone, formatter);
    }
    return formatter.format(this);
  }
  return original.call(this, locale, options);
};
