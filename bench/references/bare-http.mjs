// Reference for cold start: the least a Node HTTP server can do. Answers every POST with a fixed JSON-RPC result.
import { createServer } from 'node:http';

const port = Number(process.env.FC_SERVER_PORT ?? process.env.PORT ?? 9000);
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end('{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}');
  });
}).listen(port, '0.0.0.0');
