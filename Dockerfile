# syntax=docker/dockerfile:1
# A small static image: the musl build of pagerduty-mcp on an empty base, run as a non-root
# user; it writes nothing, so it works with a read-only root filesystem.
FROM rust:1.95-alpine AS build
RUN apk add --no-cache musl-dev gcc g++ make cmake perl ca-certificates
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p pagerduty-mcp \
 && cp target/release/pagerduty-mcp /pagerduty-mcp

FROM scratch
# TLS roots for api.pagerduty.com; time zones are compiled into the binary.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /pagerduty-mcp /pagerduty-mcp
USER 65532:65532
ENV MCP_HOST=0.0.0.0 MCP_PORT=8000
EXPOSE 8000
ENTRYPOINT ["/pagerduty-mcp"]
# Hosted default: Streamable HTTP, each caller brings their own PagerDuty credential.
CMD ["--http"]
