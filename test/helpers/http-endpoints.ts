import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Endpoint {
  readonly url: string;
  readonly port: number;
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

/** An in-test HTTP endpoint on 127.0.0.1; `handler` answers each request. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Endpoint> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
