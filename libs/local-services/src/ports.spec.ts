import net from 'node:net';
import { findFreePort } from './ports.js';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('findFreePort', () => {
  it('returns the preferred port when it is free, another one when it is taken', async () => {
    const free = await findFreePort();
    expect(await findFreePort(free)).toBe(free);

    const server = await listen(free);
    try {
      const other = await findFreePort(free);
      expect(other).not.toBe(free);
      expect(other).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects invalid ports', async () => {
    await expect(findFreePort(70000)).rejects.toThrow(/invalid port/);
    await expect(findFreePort(1.5)).rejects.toThrow(/invalid port/);
  });
});
