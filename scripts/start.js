'use strict';
// `npm start`: runs apps/launcher, which starts the admin API and a worker on embedded defaults.
require('./register');
require('../apps/launcher/src/main.ts');
