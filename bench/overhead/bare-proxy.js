// The floor: a featureless node:http + undici pass-through, to show what any gateway costs on top.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [upstream, port] = process.argv.slice(2);
const pool = new Pool(upstream, { connections: 128 });
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const up = await pool.request({
    method: 'POST',
    path: req.url,
    headers: { 'content-type': 'application/json' },
    body: Buffer.concat(chunks),
  });
  res.writeHead(up.statusCode, { 'content-type': up.headers['content-type'] });
  for await (const c of up.body) res.write(c);
  res.end();
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
