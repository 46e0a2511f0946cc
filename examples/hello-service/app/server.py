"""hello-service: an HTTP service for WeTEE that proves it received its secret.

It reads the secret named api-key (delivered by the agent as the environment variable API_KEY,
only after the instance was attested) and answers every GET with a greeting and the first 16 hex
digits of SHA-256(api-key): content derived from the secret, without revealing it. It listens on
127.0.0.1:$PORT (the worker chooses the port; the proxy gives the service its stable URL).
"""
import hashlib
import http.server
import os

KEY = os.environ.get("API_KEY", "")
DIGEST = hashlib.sha256(KEY.encode()).hexdigest()[:16]
GREETING = os.environ.get("GREETING", "hello")
VERSION = os.environ.get("WETEE_VERSION", "?")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/health":
            body = b"ok\n"
        else:
            body = f"{GREETING} from WeTEE v{VERSION}; api-key sha256 {DIGEST}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print("%s %s" % (self.command, self.path), flush=True)


if __name__ == "__main__":
    port = int(os.environ["PORT"])
    print(f"hello-service listening on 127.0.0.1:{port}", flush=True)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
