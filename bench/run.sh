#!/bin/sh
# Builds the server and the bench, then runs the benchmark: bench/run.sh [--demo|--quick|--full] [options]
set -e
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests -pl server,bench -am package
exec java -jar bench/target/storefront-bench.jar "$@"
