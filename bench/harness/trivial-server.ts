import { spawn } from "node:child_process";

// A Node HTTP server that only reads and parses the JSON body and answers {"applied":1}: what
// the same client reaches against it is the ceiling of plain HTTP on this machine today.
const SOURCE = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString());
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": 13 });
    res.end('{"applied":1}');
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
`;

export async function startTrivialServer(): Promise<{ port: number; stop(): void }> {
  const child = spawn(process.execPath, ["-e", SOURCE], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", (code) => reject(new Error(`trivial server exited with ${code}`)));
  });
  return { port, stop: () => void child.kill("SIGTERM") };
}
