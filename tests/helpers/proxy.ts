import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP load balancer for tests and benchmarks: each new connection goes to the next backend in
 * turn (round robin, no stickiness), skipping backends that refuse it, as nginx does with
 * `proxy_next_upstream error`. HTTP and WebSocket pass through untouched.
 *
 * Both sides have Nagle's algorithm off, as nginx has (`tcp_nodelay on`, its default): with it
 * on, a small write waits for the peer's (delayed) acknowledgement of the previous one, which
 * added tens of milliseconds to keystrokes forwarded through the proxy (bench/README.md,
 * "Scale-out").
 */
export class RoundRobinProxy {
  private next = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((client) => this.accept(client));
  port = 0;
  private constructor(private readonly backends: { host: string; port: number }[]) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(backendUrls: string[]): Promise<RoundRobinProxy> {
    const backends = backendUrls.map((u) => {
      const url = new URL(u);
      return { host: url.hostname, port: Number(url.port) };
    });
    const proxy = new RoundRobinProxy(backends);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    proxy.port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  private accept(client: Socket): void {
    client.setNoDelay(true);
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const start = this.next++ % this.backends.length;
    const attempt = (tried: number): void => {
      if (tried === this.backends.length) {
        client.destroy();
        return;
      }
      const backend = this.backends[(start + tried) % this.backends.length]!;
      const upstream = connect({ port: backend.port, host: backend.host, noDelay: true });
      this.sockets.add(upstream);
      upstream.once('close', () => this.sockets.delete(upstream));
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        if (!connected) attempt(tried + 1);
        else client.destroy();
      });
      upstream.once('close', () => connected && client.destroy());
      client.once('close', () => upstream.destroy());
    };
    attempt(0);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
