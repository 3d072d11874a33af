'use strict';
// Preloaded (node -r) into both benchmarked servers, the API and the raw baseline, identically.
// Counts SQL statements at the pg client (every statement either server sends goes through
// pg.Client.prototype.query: TypeORM's pool clients and the raw pool's alike), counts HTTP requests
// (diagnostics channel, no cost when idle), and answers the benchmark over the IPC channel:
//   { cmd: 'stats' }            -> { statements, requests, byText: [[sql, count], ...], cpu: process.cpuUsage() }
//   { cmd: 'profile-start' }    -> starts the V8 CPU profiler (inspector, in-process)
//   { cmd: 'profile-stop', file } -> writes a .cpuprofile and answers { file }
//   { cmd: 'exit' }             -> process.exit(0)
const diagnostics = require('node:diagnostics_channel');
const fs = require('node:fs');
const pg = require('pg');

let statements = 0;
let requests = 0;
const byText = new Map();

// Typed loosely on purpose: the wrapper stands in for every overload of pg's query().
/** @type {(this: import('pg').Client, ...args: any[]) => any} */
const query = pg.Client.prototype.query;
/** @type {any} */ (pg.Client.prototype).query = function countedQuery(/** @type {any[]} */ ...args) {
  const config = args[0];
  const text = typeof config === 'string' ? config : config && config.text;
  statements++;
  byText.set(text, (byText.get(text) ?? 0) + 1);
  return query.apply(this, args);
};

diagnostics.subscribe('http.server.request.start', () => {
  requests++;
});

let session;
function post(method, params) {
  return new Promise((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

async function handle(message) {
  switch (message && message.cmd) {
    case 'stats':
      return { statements, requests, byText: [...byText], cpu: process.cpuUsage() };
    case 'profile-start': {
      const inspector = require('node:inspector');
      session = new inspector.Session();
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 1000) });
      await post('Profiler.start');
      return { started: true };
    }
    case 'profile-stop': {
      const { profile } = await post('Profiler.stop');
      fs.writeFileSync(message.file, JSON.stringify(profile));
      session.disconnect();
      return { file: message.file };
    }
    case 'exit':
      setImmediate(() => process.exit(0));
      return { exiting: true };
    default:
      return { error: `unknown command ${JSON.stringify(message)}` };
  }
}

const send = process.send?.bind(process);
if (send) {
  process.on('message', (/** @type {any} */ message) => {
    handle(message).then(
      (reply) => send({ id: message.id, ...reply }),
      (error) => send({ id: message.id, error: String(error && error.stack ? error.stack : error) }),
    );
  });
}
