// Reference for warm throughput: a bare Hono app on @hono/node-server echoing the JSON body.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/mcp', async (c) => c.json(await c.req.json()));
serve({ fetch: app.fetch, hostname: '0.0.0.0', port: Number(process.env.PORT ?? 9000) }, () =>
  process.stdout.write('{"event":"listening"}\n'),
);
