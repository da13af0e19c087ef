// Preloaded (NODE_OPTIONS=--require) into a service process by test/billing-off.e2e-spec.ts:
// writes a marker line the first time anything requires the `stripe` package.
const Module = require('node:module');
const load = Module._load;
let seen = false;
Module._load = function (request, ...rest) {
  if (!seen && (request === 'stripe' || request.startsWith('stripe/'))) {
    seen = true;
    process.stderr.write('STRIPE_PACKAGE_LOADED\n');
  }
  return load.call(this, request, ...rest);
};
