// Node.js peer for the HTTP benchmarks: the two TechEmpower shapes on node:http.
import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 8080);
const plain = "Hello, World!";

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/plaintext") {
    res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": plain.length });
    res.end(plain);
  } else if (req.method === "GET" && req.url === "/json") {
    const body = JSON.stringify({ message: "Hello, World!" });
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  } else {
    res.writeHead(404, { "Content-Length": 0 });
    res.end();
  }
});
// Node closes a keep-alive connection idle for 5 s by default; opening the
// runner's idle connections on a loaded machine can take longer than that.
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${port}`));
