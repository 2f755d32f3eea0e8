#!/bin/sh
# The main job (`make hello`): build the example HTTP server with coc, start it
# on a free port of 127.0.0.1, ask it for /plaintext and /json with curl (Node's
# fetch when curl is missing), and stop it.
set -eu
COC="node bin/coc.js"
mkdir -p build
$COC build examples/hello-http/main.co -o build/hello-http
out=build/hello-http.out
PORT=0 ./build/hello-http > "$out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start:"; cat "$out"; exit 1; }
cat "$out"
if command -v curl >/dev/null 2>&1; then
  # what the README shows: curl against the server
  echo "\$ curl -i http://127.0.0.1:$port/plaintext"
  curl -sS -i "http://127.0.0.1:$port/plaintext"; echo
  echo "\$ curl http://127.0.0.1:$port/json"
  curl -sS "http://127.0.0.1:$port/json"; echo
else
  # no curl on this machine: the same two requests with Node's fetch
  node -e '
const base = "http://127.0.0.1:" + process.argv[1];
(async () => {
  for (const p of ["/plaintext", "/json"]) {
    const r = await fetch(base + p);
    console.log(`GET ${p} -> ${r.status} ${r.headers.get("content-type")}: ${await r.text()}`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
' "$port"
fi
kill $pid
wait $pid 2>/dev/null || true
echo "server stopped"
