# Sourced by bench/compare/run.sh: starts each server on loopback, in a directory of its
# own under $work, pinned to core 0 ($pin0: taskset, under nice), and records its pid in $pids (run.sh kills them by
# pid on exit). Every port is a free one picked at start; nothing is installed as a
# service or started as a daemon.

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until 127.0.0.1:$1 accepts a connection (at most $2 seconds).
wait_port() {
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.25
    done
    return 1
}

# Reads the 'listening http://HOST:PORT' line a server prints (node, broadcast server).
wait_listening() {
    local out=$1 deadline=$((SECONDS + 30))
    while [ $SECONDS -lt $deadline ]; do
        if grep -q '^listening ' "$out"; then sed -n 's/^listening //p' "$out" | head -1; return 0; fi
        sleep 0.1
    done
    return 1
}

# The users of a run over many channels (scenario 4): the demo users' names, roles and
# passwords (each equal to the name, as sb_loadgen logs in), each a member of general, ops and
# c0 ... c<N-1>, since the node lets only a channel's members subscribe and send to it.
# write_channel_users BINARY FILE N: hashes from BINARY's 'node hash-password'.
write_channel_users() {
    local binary=$1 file=$2 channels=$3 user hashes=()
    for user in alice bob carol admin; do
        hashes+=("$(printf '%s\n' "$user" | "$binary" node hash-password)")
    done
    python3 - "$file" "$channels" "${hashes[@]}" <<'PY'
import json, sys
path, channels, hashes = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
names = ['alice', 'bob', 'carol', 'admin']
member = ['general', 'ops'] + ['c%d' % i for i in range(channels)]
users = [{'name': name, 'passwordHash': hash_, 'channels': member,
          'roles': ['ROLE_ADMIN', 'ROLE_USER'] if name == 'admin' else ['ROLE_USER']}
         for name, hash_ in zip(names, hashes)]
json.dump({'users': users}, open(path, 'w'))
PY
}

# The node: one worker (one core), the demo users (or, when $node_users_file is set, the
# users of write_channel_users), and the per-address and per-user limits raised, since
# every client comes from one loopback address and logs in as one of four users. Outbound
# queues keep their default (1 MiB per connection).
# launch_node BINARY NAME [VAR=value...]: one such node, in the environment given; sets
# launched_pid and launched_url.
launch_node() {
    local binary=$1 name=$2; shift 2
    local out="$work/$name.out" users=(--demo-users)
    [ -n "${node_users_file:-}" ] && users=(--users "$node_users_file")
    env "$@" $pin0 "$binary" node --listen 127.0.0.1:0 "${users[@]}" --workers "${node_workers:-1}" \
        --limit-connections-exempt-loopback --limit-connections 100000 --limit-logins-per-address 100000 \
        --limit-logins-per-user 100000 --limit-sse-per-user 1000 ${SB_NODE_ARGS:-} >"$out" 2>"$work/$name.err" &
    launched_pid=$!
    pids+=("$launched_pid")
    launched_url="$(wait_listening "$out")" || { echo "the $name did not start:" >&2; cat "$work/$name.err" >&2; return 1; }
}

# SB_NODE_BINARY: another node binary than BUILD_DIR's (a copy, so a rebuild cannot change
# it between runs); SB_NODE_ENV: VAR=value words for the node's environment (QT_NO_GLIB=1).
start_node() {
    # shellcheck disable=SC2086
    launch_node "${SB_NODE_BINARY:-$build/app/switchboard-node}" node ${SB_NODE_ENV:-}
    node_pid=$launched_pid node_url=$launched_url
}

# A second node to measure a change against in the same run ("before" and "after" side by
# side): the binary SB_BASELINE_NODE, in the environment SB_BASELINE_ENV, started as the node.
start_baseline() {
    # shellcheck disable=SC2086
    launch_node "${SB_BASELINE_NODE:?set SB_BASELINE_NODE to the node binary to compare with}" baseline \
        ${SB_BASELINE_ENV:-}
    baseline_pid=$launched_pid baseline_url=$launched_url
}

# A third node binary, for a change measured against two older ones in one run (the
# release before a regression and the one with it): SB_PREVIOUS_NODE, SB_PREVIOUS_ENV.
start_previous() {
    # shellcheck disable=SC2086
    launch_node "${SB_PREVIOUS_NODE:?set SB_PREVIOUS_NODE to the node binary to compare with}" previous \
        ${SB_PREVIOUS_ENV:-}
    previous_pid=$launched_pid previous_url=$launched_url
}

# nginx + Nchan: one process (no master), in the foreground; WebSocket and EventSource
# subscribers on /sub/<channel>, HTTP POST publisher on /pub/<channel>: the channel id is
# the path's last segment (bench for the fan-out, c0 ... c<N-1> for scenario 4).
start_nchan() {
    local dir="$work/nginx" port
    port="$(free_port)"
    mkdir -p "$dir"
    cat >"$dir/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
worker_processes 1;
worker_rlimit_nofile 30000;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 25000; }
http {
    access_log off;
    # The publisher keeps one connection for the whole run (nginx closes one after 1,000
    # requests by default, which would lose what is published on it meanwhile).
    keepalive_requests 100000000;
    keepalive_timeout 3600s;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen 127.0.0.1:$port backlog=4096;
        location ~ ^/sub/([A-Za-z0-9_-]+)\$ {
            nchan_subscriber websocket eventsource;
            nchan_channel_id \$1;
            # A new subscriber gets what is published from then on, not an earlier run's messages.
            nchan_subscriber_first_message newest;
        }
        location ~ ^/pub/([A-Za-z0-9_-]+)\$ {
            nchan_publisher http;
            nchan_channel_id \$1;
        }
    }
}
CONF
    $pin0 nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off; master_process off;' \
        >"$dir/stdout" 2>&1 &
    nchan_pid=$!
    pids+=("$nchan_pid")
    nchan_url="http://127.0.0.1:$port"
    wait_port "$port" 20 || { echo "nginx did not start:" >&2; cat "$dir/error.log" >&2; return 1; }
}

# RabbitMQ with rabbitmq_web_stomp, as tests/probe starts it: our own epmd, the server
# script exec'ing the Erlang VM (RABBITMQ_ALLOW_INPUT), ephemeral ports, a private
# directory. One scheduler, without busy-waiting, since it gets one core like the others
# (an idle VM spinning on core 0 would also take it from the server being measured).
start_rabbit() {
    local dir="$work/rabbit" amqp dist epmd_port stomp
    mkdir -p "$dir"
    amqp="$(free_port)"; dist="$(free_port)"; epmd_port="$(free_port)"; stomp="$(free_port)"
    cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp
web_stomp.tcp.port = $stomp
web_stomp.tcp.ip = 127.0.0.1
web_stomp.tcp.backlog = 4096
loopback_users = none
log.console = false
log.file = false
CONF
    echo '[rabbitmq_web_stomp].' >"$dir/enabled_plugins"
    : >"$dir/rabbitmq-env.conf"
    (
        export HOME="$dir" ERL_EPMD_PORT="$epmd_port" RABBITMQ_NODENAME="sbcompare$$@localhost" \
            RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$amqp" RABBITMQ_DIST_PORT="$dist" \
            RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
            RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
            RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_ALLOW_INPUT=1 \
            RABBITMQ_SERVER_START_ARGS=-noinput \
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none"
        exec $pin0 /usr/lib/erlang/bin/epmd -port "$epmd_port"
    ) >"$dir/epmd.out" 2>&1 &
    pids+=("$!")
    (
        export HOME="$dir" ERL_EPMD_PORT="$epmd_port" RABBITMQ_NODENAME="sbcompare$$@localhost" \
            RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$amqp" RABBITMQ_DIST_PORT="$dist" \
            RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
            RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
            RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_ALLOW_INPUT=1 \
            RABBITMQ_SERVER_START_ARGS=-noinput \
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none"
        cd "$dir"
        exec $pin0 /usr/lib/rabbitmq/bin/rabbitmq-server
    ) >"$dir/server.out" 2>&1 &
    rabbit_pid=$!
    pids+=("$rabbit_pid")
    rabbit_url="http://127.0.0.1:$stomp"
    wait_port "$stomp" 180 || { echo "RabbitMQ Web-STOMP did not listen:" >&2; tail -20 "$dir/server.out" >&2; return 1; }
    # The pid is the shell that exec'd the script, which exec'd the VM: measure that one.
    rabbit_pid="$(pgrep -P "$rabbit_pid" beam.smp || echo "$rabbit_pid")"
}

# The trivial broadcast server the generator's ceiling is measured against.
start_trivial() {
    local out="$work/trivial.out"
    $pin0 "$loadgen_dir/sb_broadcast_server" >"$out" 2>&1 &
    trivial_pid=$!
    pids+=("$trivial_pid")
    trivial_url="$(wait_listening "$out")" || { echo "sb_broadcast_server did not start" >&2; return 1; }
}
