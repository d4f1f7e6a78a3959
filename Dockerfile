# tlsvet container image. The tlsvet-docker pre-commit hook
# (.pre-commit-hooks.yaml, language docker) builds it from this file and
# runs it with --entrypoint set to the ENTRYPOINT below; for CI without a
# Go toolchain:
#   docker build -t tlsvet . && docker run --rm -v "$PWD:/src" tlsvet check
# CI has no Docker engine, so .ci/run runs the same go build command and
# cmd/tlsvet/dockerfile_test.go keeps the two equal and checks the binary
# is static.
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
# Modules first, so editing the source does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/tlsvet ./cmd/tlsvet

# A static binary needs no libc: distroless/static has only CA certificates,
# tzdata and /etc/passwd. pre-commit runs the container as the caller's
# UID:GID (docker run -u) with the repository mounted at /src, so nonroot is
# only the default for plain docker run.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tlsvet /usr/local/bin/tlsvet
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/tlsvet"]
CMD ["check"]
