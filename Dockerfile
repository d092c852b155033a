# benchling-webhook container image: the C++ binary on an otherwise empty root (no shell, no package
# manager), run as uid 1000 with a read-only root filesystem and a writable /tmp, as ECS Fargate runs it.
#
#   docker build -t benchling-webhook .     (or scripts/image.sh: podman, builds and smoke-runs it)
#
# The build stage compiles the Release binary and assembles its root filesystem with scripts/rootfs.sh
# (the stripped binary, the shared libraries it loads, the CA bundle, /etc/passwd, group, nsswitch.conf
# and hosts, /tmp). tests/integration/test_image.py runs the same script on the tested binary.

# linux/amd64: Fargate runs x86_64 tasks; an image built on an ARM laptop must not ship ARM binaries.
FROM --platform=linux/amd64 debian:bookworm AS build

# The Release build's dependencies (scripts/setup.sh without the test, benchmark and tooling ones).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config ca-certificates \
      libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
      libssl-dev libcurl4-openssl-dev libpugixml-dev libcli11-dev libyaml-cpp-dev libarchive-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY CMakeLists.txt ./
COPY src ./src
COPY scripts/rootfs.sh ./scripts/

# BW_STATIC_DEPS links libarchive (without its libxml2/ICU baggage), Boost, pugixml and libstdc++ into
# the binary: that is what keeps the root filesystem under 25 MiB.
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DBW_BUILD_TESTS=OFF -DBW_BUILD_BENCH=OFF -DBW_STATIC_DEPS=ON \
 && cmake --build build --target benchling-webhook \
 && build/benchling-webhook --version \
 && ./scripts/rootfs.sh build/benchling-webhook /rootfs

FROM --platform=linux/amd64 scratch
ARG VERSION=dev
LABEL org.opencontainers.image.title="benchling-webhook" \
      org.opencontainers.image.description="Benchling app webhooks to Quilt packages on S3; configured by QuiltStackARN and BenchlingSecret only" \
      org.opencontainers.image.source="https://github.com/quiltdata/benchling-webhook" \
      org.opencontainers.image.version="${VERSION}"

COPY --from=build /rootfs /
# Declared so that Fargate's task volume mounted here (the root is read-only) starts as a copy of this
# sticky, world-writable /tmp; an undeclared bind mount would be root-owned 0755 and unwritable for 1000.
VOLUME ["/tmp"]
USER 1000:1000
ENV PORT=8080
EXPOSE 8080
# Exec form: there is no shell. `health` GETs http://127.0.0.1:$PORT/health/live (200 while the
# configuration is still resolving, so an AWS outage does not get healthy tasks replaced).
HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/benchling-webhook", "health"]
ENTRYPOINT ["/usr/local/bin/benchling-webhook"]
CMD ["serve"]
