import { once } from 'node:events';
import { createServer, request as httpRequest, Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { trackConnections } from './connections.ts';

const closed = (socket: Socket) =>
  new Promise<void>((resolve) => {
    socket.on('error', () => undefined); // a reset is as good as a close here
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });

describe('trackConnections (decision 177)', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const done of cleanup.splice(0)) done();
  });

  async function listening() {
    let finishSlow: (() => void) | undefined;
    const server = createServer((req, res) => {
      if (req.url === '/slow') finishSlow = () => res.end('slow');
      else res.end('ok');
    });
    const connections = trackConnections(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    cleanup.push(() => {
      server.closeAllConnections();
      server.close();
    });
    return { server, connections, port, finishSlow: () => finishSlow?.() };
  }

  it('lets server.close() finish although a connection never sent a request', async () => {
    const { server, connections, port } = await listening();
    const unused = connect(port, '127.0.0.1');
    await once(unused, 'connect');
    await new Promise((r) => setTimeout(r, 50));
    expect(connections.open).toBe(1);

    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    // What Node alone offers does not touch it: that is the shutdown hang of issue 18.
    server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 50));
    expect(unused.destroyed).toBe(false);

    connections.closeUnused();
    await closed(unused);
    await serverClosed;
    await new Promise((r) => setImmediate(r));
    expect(connections.open).toBe(0);
  });

  it('keeps a connection whose request is running or still arriving; closes it once idle', async () => {
    const { connections, port, finishSlow } = await listening();
    const agent = new Agent({ keepAlive: true });
    cleanup.push(() => agent.destroy());
    const response = new Promise<string>((resolve, reject) => {
      httpRequest({ port, host: '127.0.0.1', path: '/slow', agent }, (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });
    // Half a request: its headers are on their way.
    const arriving = connect(port, '127.0.0.1');
    await once(arriving, 'connect');
    arriving.write('GET / HTTP/1.1\r\nHost: x\r\n');
    await new Promise((r) => setTimeout(r, 100));
    expect(connections.open).toBe(2);

    connections.closeUnused();
    await new Promise((r) => setTimeout(r, 50));
    expect(connections.open).toBe(2);
    expect(arriving.destroyed).toBe(false);

    finishSlow();
    expect(await response).toBe('slow');
    await new Promise((r) => setTimeout(r, 50));
    connections.closeUnused(); // the keep-alive socket is idle now
    await new Promise((r) => setTimeout(r, 50));
    expect(connections.open).toBe(1);
    arriving.destroy();
  });
});
