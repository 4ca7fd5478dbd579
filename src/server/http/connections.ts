import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Closes, during shutdown, the client connections nothing is waiting on, so that `server.close()`
 * (and so `app.close()`) can finish (decision 177). Node's `closeIdleConnections()` only reaps a
 * keep-alive socket between two requests; a connection that was opened and never sent a byte (a
 * browser's preconnect, or a client that gave up on its request before writing it) is not "idle"
 * to Node, and `server.close()` waits for it until the 60 s headers timeout, past our 25 s drain
 * deadline. Install before `listen`; call `closeUnused()` repeatedly while draining.
 */
export function trackConnections(server: Server) {
  const open = new Set<Socket>();
  // Sockets that have carried a request: those Node's idle check already judges correctly.
  const used = new WeakSet<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  server.on('request', (request) => used.add(request.socket));
  return {
    /** Destroys keep-alive sockets between requests and sockets that never started one. */
    closeUnused() {
      server.closeIdleConnections();
      for (const socket of open) {
        // bytesRead > 0: a request is arriving; its headers are parsed within the headers timeout.
        if (!used.has(socket) && socket.bytesRead === 0) socket.destroy();
      }
    },
    get open() {
      return open.size;
    },
  };
}
