// Reference for cold start (information): bare-http.mjs plus the WHATWG fetch globals (Headers, Request,
// Response), which Node loads from its bundled undici on first access. @hono/node-server reads them when its
// module loads, so every server on it pays this; the difference to bare-http.mjs is that cost.
import { createServer } from 'node:http';

void globalThis.Response;
const port = Number(process.env.FC_SERVER_PORT ?? process.env.PORT ?? 9000);
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end('{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}');
  });
}).listen(port, '0.0.0.0');
