// examples/express-api's app under Express 5 (this folder's e2e.json says so),
// compared with node running the same under Express 5.
require('../express-api/app.js');
