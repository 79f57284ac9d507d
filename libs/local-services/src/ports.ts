import net from 'node:net';

// Services started here bind 127.0.0.1 only, so that is the address whose availability matters.
const HOST = '127.0.0.1';

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(null);
      else reject(err);
    });
    server.listen({ port, host: HOST, exclusive: true }, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(actual));
    });
  });
}

/**
 * Returns `preferred` if it can be bound on 127.0.0.1, else a port the OS hands out.
 * `preferred` 0 or undefined means "any free port". The port is free at the time of the
 * check only, so callers that start a server on it should retry on "address in use".
 */
export async function findFreePort(preferred?: number): Promise<number> {
  if (preferred !== undefined && (!Number.isInteger(preferred) || preferred < 0 || preferred > 65535)) {
    throw new Error(`findFreePort: invalid port ${String(preferred)}`);
  }
  if (preferred) {
    const got = await tryListen(preferred);
    if (got !== null) return got;
  }
  const any = await tryListen(0);
  if (any === null) throw new Error('findFreePort: the OS did not hand out a free port');
  return any;
}
