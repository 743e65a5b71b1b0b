import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A loopback TCP forwarder that can be taken down and brought back on the same port: a stand-in for a
 * replica that fails and recovers, in front of the one real server.
 */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;
  #hung = false;
  /** Writes held back while hung, in order. */
  readonly #held: (() => void)[] = [];
  /** Client connections accepted so far. */
  accepted = 0;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.resume();
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  /** Listens again, on the port it had before (a free one the first time). */
  async resume(): Promise<void> {
    if (this.#server !== undefined) {
      return;
    }
    const server = createServer((client) => this.#forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') {
      throw new Error('TCP proxy is not listening on a port');
    }
    this.#port = address.port;
    this.#server = server;
  }

  /** Refuses new connections and cuts the open ones, as a crashed server would. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) {
      socket.destroy();
    }
    this.#sockets.clear();
    if (server !== undefined) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /**
   * Keeps every connection open but passes nothing on, in either direction, new connections
   * included: a hung server, or a dead link, as a client sees it.
   */
  hang(): void {
    this.#hung = true;
  }

  /** Passes on, in order, what was held back, and forwards again. */
  unhang(): void {
    this.#hung = false;
    for (const write of this.#held.splice(0)) {
      write();
    }
  }

  #forward(client: Socket): void {
    this.accepted += 1;
    const upstream = connect(this.#target.port, this.#target.host);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    this.#relay(client, upstream);
    this.#relay(upstream, client);
  }

  #relay(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (this.#hung) {
        this.#held.push(() => to.write(chunk));
      } else {
        to.write(chunk);
      }
    });
  }
}
