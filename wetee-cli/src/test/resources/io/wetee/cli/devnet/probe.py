"""The isolation probe of FlowsDevnetIT: tries each path of PROBE_PATHS and answers every GET with
{path: "read N bytes" | "listed N entries" | errno name}; logs each result."""
import errno, http.server, json, os
def probe(p):
    try:
        if os.path.isdir(p):
            return "listed %d entries" % len(os.listdir(p))
        with open(p, "rb") as f:
            return "read %d bytes" % len(f.read())
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
SEEN = {p: probe(p) for p in os.environ["PROBE_PATHS"].split(":")}
for p, r in SEEN.items():
    print("probe:", p, r, flush=True)
BODY = json.dumps(SEEN).encode()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
