'use strict';
// A tiny service: GET /health for the health check, GET / for the rest.
// Secrets are read from files (Compose/Swarm secrets), never from ENV.
const fs = require('fs');
const http = require('http');

function readSecret(name) {
  try {
    return fs.readFileSync(`/run/secrets/${name}`, 'utf8').trim();
  } catch {
    return null;
  }
}

const dbPassword = readSecret('db_password');

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ hello: 'world', database: dbPassword ? 'configured' : 'not configured' }) + '\n');
});

const port = Number(process.env.PORT || 3000);
server.listen(port, () => console.log(`listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
