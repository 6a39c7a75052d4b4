import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer the fake Slack gives, in order; the last one repeats. */
export interface SlackAnswer {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request the fake Slack received. */
export interface ReceivedPost {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * Plays a Slack incoming webhook on 127.0.0.1 and a free port: answers each POST with the next
 * scripted answer (200 `ok`, 429 with Retry-After, 500, 400 `invalid_payload`…) and records it.
 */
export class FakeSlack {
  public readonly posts: ReceivedPost[] = [];
  private answers: SlackAnswer[] = [{ status: 200, body: 'ok' }];
  private readonly server: Server;

  private constructor(server: Server) {
    this.server = server;
  }

  /** Starts the server; `close()` it in afterAll/afterEach. */
  public static async start(): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        fake?.posts.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = fake?.next() ?? { status: 200, body: 'ok' };
        response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        response.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeSlack(server);
    return fake;
  }

  /** A webhook-shaped URL on this server (the path plays the secret part). */
  public get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/services/T000/B000/EXAMPLEKEYEXAMPLEKEY`;
  }

  /** The answers to give, in order; the last repeats. Clears what was received. */
  public script(...answers: SlackAnswer[]): void {
    this.answers = answers.length > 0 ? answers : [{ status: 200, body: 'ok' }];
    this.posts.length = 0;
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private next(): SlackAnswer {
    const answer = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
    return answer ?? { status: 200, body: 'ok' };
  }
}
