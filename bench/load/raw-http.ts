import net from "node:net";

export type RawResponse = { status: number; body: Buffer };

const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * One keep-alive HTTP/1.1 connection to 127.0.0.1, one request in flight at a time. Far
 * cheaper per request than node:http's client, which matters when the load generator shares
 * two cores with the server and PostgreSQL. Understands only Content-Length responses, which
 * is all the API sends.
 */
export class RawConnection {
  private socket: net.Socket | null = null;
  private chunks: Buffer[] = [];
  private size = 0;
  private headerEnd = -1;
  private status = 0;
  private bodyLength = 0;
  private closeAfter = false;
  private waiter: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | null = null;

  constructor(private readonly port: number) {}

  private connect(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port: this.port, noDelay: true });
      socket.once("connect", () => {
        socket.off("error", reject);
        // A socket replaced after an error must not touch its successor's request.
        socket.on("data", (d: Buffer) => {
          if (this.socket === socket) this.onData(d);
        });
        socket.on("error", (e) => {
          if (this.socket === socket) this.fail(e);
        });
        socket.on("close", () => {
          if (this.socket === socket) this.fail(new Error("connection closed by the server"));
        });
        resolve(socket);
      });
      socket.once("error", reject);
    });
  }

  /** Sends `head` (request line and headers, ending in a blank line) and `body` if any. */
  async request(head: string | Buffer, body?: string | Buffer): Promise<RawResponse> {
    if (this.waiter) throw new Error("one request at a time per connection");
    this.socket ??= await this.connect();
    const socket = this.socket;
    return new Promise<RawResponse>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.chunks = [];
      this.size = 0;
      this.headerEnd = -1;
      if (body === undefined) {
        socket.write(head);
      } else {
        socket.cork();
        socket.write(head);
        socket.write(body);
        socket.uncork();
      }
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private onData(chunk: Buffer) {
    if (!this.waiter) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.headerEnd < 0) {
      const all = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.size);
      this.chunks = [all];
      const end = all.indexOf(HEADER_END);
      if (end < 0) return;
      this.headerEnd = end + 4;
      const head = all.toString("latin1", 0, end);
      this.status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!length) return this.fail(new Error(`response without Content-Length: ${head.slice(0, 200)}`));
      this.bodyLength = Number(length[1]);
      this.closeAfter = /\r\nconnection:\s*close/i.test(head);
    }
    if (this.size < this.headerEnd + this.bodyLength) return;
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    const body = all.subarray(this.headerEnd, this.headerEnd + this.bodyLength);
    const w = this.waiter;
    this.waiter = null;
    this.chunks = [];
    if (this.closeAfter) this.close();
    w?.resolve({ status: this.status, body });
  }

  private fail(error: Error) {
    const w = this.waiter;
    this.waiter = null;
    this.socket?.destroy();
    this.socket = null;
    w?.reject(error);
  }
}

/** Request line and headers for the API, ready to be followed by a body of `length` bytes. */
export function requestHead(method: string, path: string, port: number, key: string, length?: number): string {
  let head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${key}\r\n`;
  if (length !== undefined) head += `Content-Type: application/json\r\nContent-Length: ${length}\r\n`;
  return head + "\r\n";
}
