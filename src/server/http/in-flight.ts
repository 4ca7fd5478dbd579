import type { FastifyInstance, RouteHandlerMethod } from 'fastify';

/**
 * Counts route handlers still running, including those whose client has already disconnected:
 * Node's `server.close()` (and so `app.close()`) waits for open connections only, so without this
 * a handler left behind by a gone client could still be inside a cart transaction when the
 * database pool closes (decision 176). Wraps every route registered after it; a handler's result
 * is passed through untouched, only its promise is watched.
 */
export function trackInFlightHandlers(app: FastifyInstance) {
  let running = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    running -= 1;
    if (running === 0) {
      for (const wake of waiters) wake();
      waiters = [];
    }
  };
  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function tracked(this: FastifyInstance, request, reply) {
      const result = handler.call(this, request, reply) as unknown;
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        running += 1;
        (result as Promise<unknown>).then(settle, settle);
      }
      return result as ReturnType<RouteHandlerMethod>;
    };
  });
  return {
    get running() {
      return running;
    },
    /** Resolves once no handler is running. */
    drained(): Promise<void> {
      return running === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
