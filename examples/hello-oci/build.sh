#!/usr/bin/env bash
# Builds the hello-oci image from Debian packages (busybox-static), without Docker, and pushes it
# to an OCI distribution registry with the registry HTTP API v2 (curl).
#
#   examples/hello-oci/build.sh [--registry HOST:PORT] [--start-registry] [VERSION]
#
# VERSION (default v1) is the tag and goes into the image as /etc/hello-version, so v1 and v2 are
# two images with two digests. The registry defaults to $WETEE_REGISTRY, else 127.0.0.1:5000.
# --start-registry starts Debian's docker-registry on that address first when nothing answers
# there (data in ~/.wetee/registry, pid in ~/.wetee/registry/registry.pid; stop it with
# kill "$(cat ~/.wetee/registry/registry.pid)").
# Prints the pushed reference pinned by digest on the last line.
set -euo pipefail

registry=${WETEE_REGISTRY:-127.0.0.1:5000}
start=no
version=v1
while [ $# -gt 0 ]; do
  case "$1" in
    --registry) registry=$2; shift 2 ;;
    --start-registry) start=yes; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) version=$1; shift ;;
  esac
done
repo=hello-oci
api="http://$registry/v2"

need() { # program package
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
    else
      echo "build.sh needs the Debian package $2: apt-get install -y $2" >&2; exit 2
    fi
  fi
}
need /bin/busybox busybox-static
need curl curl

if [ "$start" = yes ] && ! curl -fsS -o /dev/null "$api/"; then
  need /usr/bin/docker-registry docker-registry
  data="$HOME/.wetee/registry"
  mkdir -p "$data"
  cat > "$data/config.yml" <<YAML
version: 0.1
storage:
  filesystem: { rootdirectory: $data/storage }
  delete: { enabled: true }
http:
  addr: $registry
YAML
  nohup /usr/bin/docker-registry serve "$data/config.yml" > "$data/registry.log" 2>&1 &
  echo $! > "$data/registry.pid"
  for _ in $(seq 50); do curl -fsS -o /dev/null "$api/" && break; sleep 0.2; done
  echo "registry started on $registry (pid $(cat "$data/registry.pid"))" >&2
fi
curl -fsS -o /dev/null "$api/" || { echo "no registry answers at $registry (try --start-registry)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/bin" "$root/etc" "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for applet in sh cat cut mkdir printf sha256sum httpd ls env id; do
  ln -s busybox "$root/bin/$applet"
done
echo "$version" > "$root/etc/hello-version"
# The image's entrypoint: a page from the image's version, its HELLO_GREETING (image Env), a
# fingerprint of the secret API_KEY (the spec's secretEnv) and the user it runs as (the image's
# User, "hello"), served by busybox httpd on $PORT.
cat > "$root/bin/hello-serve" <<'SH'
#!/bin/sh
mkdir -p /tmp/www &&
printf '%s %s; api-key sha256 %s; user %s %s:%s\n' "$HELLO_GREETING" "$(cat /etc/hello-version)" \
  "$(printf %s "$API_KEY" | sha256sum | cut -c1-16)" "$(id -un)" "$(id -u)" "$(id -g)" \
  > /tmp/www/index.html &&
exec httpd -f -p "127.0.0.1:$PORT" -h /tmp/www
SH
# A non-root user for the image's User: the worker maps it onto the instance's own host uid.
printf 'root:x:0:0:root:/:/bin/sh\nhello:x:1000:1000:hello:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
  > "$root/etc/passwd"
printf 'root:x:0:\nhello:x:1000:\nnogroup:x:65534:\n' > "$root/etc/group"
chmod 0755 "$root/bin" "$root/etc" "$root/bin/busybox" "$root/bin/hello-serve"
chmod 0644 "$root/etc/hello-version" "$root/etc/passwd" "$root/etc/group"
chmod 1777 "$root/tmp"

# A reproducible layer: sorted names, fixed times and owners.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=ustar \
    -C "$root" -cf "$work/layer.tar" bin etc tmp
gzip -n -9 < "$work/layer.tar" > "$work/layer.tar.gz"
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
diff_id=sha256:$(sha "$work/layer.tar")
layer=sha256:$(sha "$work/layer.tar.gz")

printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin","HELLO_GREETING=hello from an OCI image"],"Entrypoint":["/bin/hello-serve"],"WorkingDir":"/tmp","User":"hello"},"rootfs":{"type":"layers","diff_ids":["%s"]}}' \
  "$diff_id" > "$work/config.json"
config=sha256:$(sha "$work/config.json")

push_blob() { # file digest
  if curl -fs -o /dev/null -I "$api/$repo/blobs/$2"; then return 0; fi
  local location
  location=$(curl -fsS -o /dev/null -D - -X POST "$api/$repo/blobs/uploads/" \
    | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  case "$location" in /*) location="http://$registry$location" ;; esac
  case "$location" in *\?*) location="$location&digest=$2" ;; *) location="$location?digest=$2" ;; esac
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
    --data-binary @"$1" "$location"
}
push_blob "$work/layer.tar.gz" "$layer"
push_blob "$work/config.json" "$config"

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}' \
  "$config" "$(size "$work/config.json")" "$layer" "$(size "$work/layer.tar.gz")" > "$work/manifest.json"
manifest=sha256:$(sha "$work/manifest.json")
curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
  --data-binary @"$work/manifest.json" "$api/$repo/manifests/$version"
echo "$registry/$repo:$version@$manifest"
