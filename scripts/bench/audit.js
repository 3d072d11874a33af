'use strict';
// npm run bench:audit: the overview benchmark's query and load against the API with access logging on
// and with it off, in the same run; ends with
//   RESULT audit ratio_with_logging=<rps on / rps off> rps_on=<n> rps_off=<n>
// "Off" is ACCESS_LOG_BENCHMARK_OFF=true, which the configuration refuses in production. See docs/PERFORMANCE.md.
process.env.BENCH_AUDIT = '1';
require('./overview.js');
