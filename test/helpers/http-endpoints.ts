import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Endpoint {
  readonly url: string;
  readonly port: number;
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

/**
 * An in-test HTTP endpoint on 127.0.0.1 (or another loopback address, for tests of several
 * hosts); `handler` answers each request. Port 0: any free one.
 */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, at: { host?: string; port?: number } = {}): Promise<Endpoint> {
  const host = at.host ?? '127.0.0.1';
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port ?? 0, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host}:${port}/metrics`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
