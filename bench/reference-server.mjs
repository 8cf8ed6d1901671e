// The reference server: @y/websocket-server 0.1.1's own bin (src/server.js),
// line for line, except that documents keep their history (gc: false) as
// Warroom's do, so both servers hold and send the same bytes.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const wss = new WebSocketServer({ noServer: true });
const server = http.createServer((_req, res) => {
	res.writeHead(200, { 'Content-Type': 'text/plain' });
	res.end('okay');
});
wss.on('connection', (ws, req) => setupWSConnection(ws, req, { gc: false }));
server.on('upgrade', (req, socket, head) => {
	wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
