// The peer baseline: a bare node:http server answering every request with a small JSON body.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`{"port":${typeof address === 'object' && address ? address.port : 0}}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
