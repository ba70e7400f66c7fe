#!/usr/bin/env python3
"""Checks deploy/kubernetes against the node it deploys (there is no kubectl here).

Usage: check_kubernetes.py MANIFEST_DIR SWITCHBOARD_NODE_BINARY

What the manifests promise, checked against the real binary:
- every option in the Deployment's args is one `switchboard-node node --help` lists, and
  every $(VAR) in them is defined in the container's env;
- terminationGracePeriodSeconds is --grace-seconds plus a margin of 5 to 30 s, and the
  ConfigMap's node.conf does not set another grace;
- RollingUpdate with maxSurge 1 and maxUnavailable 0; a headless Service (publishing
  not-ready pods) and a normal one select the pods, by a port the container names;
- the config and secret files the args name are where the ConfigMap and Secret are mounted;
- the node, started with the ConfigMap's options (the services it cannot reach here left
  out), answers 200 on the liveness and readiness paths; the preStop command, run against
  it, drains it: readiness 503 while liveness stays 200, and it exits 0 before the
  termination grace period ends.
"""

import glob
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import yaml

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
    return condition


def load(directory):
    documents = []
    for path in sorted(glob.glob(os.path.join(directory, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            documents += [d for d in yaml.safe_load_all(f) if d]
    return documents


def node_options(binary):
    help_text = subprocess.run([binary, "node", "--help"], capture_output=True, text=True, timeout=10).stdout
    return set(re.findall(r"^\s+(?:-\w, )?(--[a-z0-9-]+)", help_text, re.M))


def args_to_options(args):
    """['node', '--a', 'x', '--flag', ...] -> {'--a': 'x', '--flag': None}."""
    options = {}
    i = 1 if args and args[0] == "node" else 0
    while i < len(args):
        name = args[i]
        if check(name.startswith("--"), f"argument {name!r} is not an option"):
            value = None
            if "=" in name:
                name, value = name.split("=", 1)
            elif i + 1 < len(args) and not args[i + 1].startswith("--"):
                value = args[i + 1]
                i += 1
            options[name] = value
        i += 1
    return options


def http_status(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def wait_for(what, predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    check(False, f"timed out after {seconds} s waiting for {what}")
    return None


def run_node(binary, container, config_text, grace, termination_grace):
    probes = {"liveness": container["livenessProbe"]["httpGet"]["path"],
              "readiness": container["readinessProbe"]["httpGet"]["path"]}
    with tempfile.TemporaryDirectory(prefix="sb-k8s-") as directory:
        # What needs Redis or Kafka, which are not here, is left out.
        local = "\n".join(l for l in config_text.splitlines() if not re.match(r"\s*(redis|kafka|bus)\s*=", l))
        config = os.path.join(directory, "node.conf")
        with open(config, "w", encoding="utf-8") as f:
            f.write(local + "\n")
        node = subprocess.Popen([binary, "node", "--config", config, "--listen", "127.0.0.1:0", "--demo-users",
                                 "--workers", "1", "--grace-seconds", str(grace)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            output = ""
            match = None
            while match is None:
                line = node.stdout.readline()
                if not line:
                    break
                output += line
                match = re.search(r"listening (http://\S+)", line)
            if not check(match, f"the node did not print 'listening': {output!r}"):
                return
            base = match.group(1)
            check(http_status(base + probes["liveness"]) == 200, f"liveness {probes['liveness']} is not 200")
            wait_for(f"readiness {probes['readiness']} to be 200",
                     lambda: http_status(base + probes["readiness"]) == 200, 10)

            # The preStop hook, with the node's pid for the container's PID 1.
            pre_stop = container["lifecycle"]["preStop"]["exec"]["command"]
            check(pre_stop[:2] == ["/bin/sh", "-c"], f"preStop is not a shell command: {pre_stop}")
            script = re.sub(r"\b(kill -(?:TERM|0)) 1\b", rf"\1 {node.pid}", pre_stop[2])
            check(script != pre_stop[2], f"preStop does not signal PID 1: {pre_stop[2]!r}")
            started = time.monotonic()
            hook = subprocess.Popen(["/bin/sh", "-c", script])
            wait_for("readiness 503 while draining", lambda: http_status(base + probes["readiness"]) == 503, 5)
            check(http_status(base + probes["liveness"]) == 200, "liveness is not 200 while draining")
            # The node is reaped as soon as it exits (a zombie would still answer kill -0).
            wait_for(f"the preStop hook to end within terminationGracePeriodSeconds ({termination_grace} s)",
                     lambda: node.poll() is not None and hook.poll() is not None, termination_grace)
            check(node.returncode == 0, f"the drained node exited {node.returncode}")
            check(time.monotonic() - started < termination_grace, "the drain outlasted the termination grace period")
        finally:
            if node.poll() is None:
                os.kill(node.pid, signal.SIGKILL)
                node.wait()


def main(directory, binary):
    documents = load(directory)
    deployments = [d for d in documents if d["kind"] == "Deployment"]
    if not check(len(deployments) == 1, f"expected one Deployment, found {len(deployments)}"):
        return
    deployment = deployments[0]
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    check(spec["selector"]["matchLabels"].items() <= labels.items(), "the selector does not match the pod labels")
    strategy = spec.get("strategy", {})
    check(strategy.get("type") == "RollingUpdate", "strategy is not RollingUpdate")
    check(strategy.get("rollingUpdate", {}).get("maxSurge") == 1, "maxSurge is not 1")
    check(strategy.get("rollingUpdate", {}).get("maxUnavailable") == 0, "maxUnavailable is not 0")

    containers = pod["containers"]
    check(len(containers) == 1, "expected one container")
    container = containers[0]
    args = container["args"]
    options = args_to_options(args)
    known = node_options(binary)
    check(len(known) > 20, f"could not read the node's options from --help ({len(known)})")
    for name in options:
        check(name in known, f"{name} is not an option of switchboard-node node")
    env = {e["name"] for e in container.get("env", [])}
    for arg in args:
        for var in re.findall(r"\$\((\w+)\)", arg):
            check(var in env, f"$({var}) in the args is not in the container's env")

    check("--grace-seconds" in options, "the args do not set --grace-seconds")
    grace = int(options.get("--grace-seconds") or 30)
    termination_grace = pod.get("terminationGracePeriodSeconds", 30)
    check(5 <= termination_grace - grace <= 30,
          f"terminationGracePeriodSeconds {termination_grace} is not --grace-seconds {grace} + 5..30 s")

    # Ports, probes, services.
    port_names = {p.get("name"): p["containerPort"] for p in container["ports"]}
    listen_port = int(options["--listen"].rsplit(":", 1)[1])
    check(listen_port in port_names.values(), f"--listen port {listen_port} is not a container port")
    for probe in ("livenessProbe", "readinessProbe"):
        port = container[probe]["httpGet"]["port"]
        check(port in port_names or port == listen_port, f"{probe} port {port} is not the node's")
    check(container["livenessProbe"]["httpGet"]["path"] == "/healthz/live", "liveness is not /healthz/live")
    check(container["readinessProbe"]["httpGet"]["path"] == "/healthz/ready", "readiness is not /healthz/ready")
    services = [d for d in documents if d["kind"] == "Service"]
    headless = [s for s in services if s["spec"].get("clusterIP") == "None"]
    normal = [s for s in services if s["spec"].get("clusterIP") != "None"]
    check(len(headless) == 1 and len(normal) >= 1, "expected a headless Service and a normal one")
    for service in services:
        check(service["spec"]["selector"].items() <= labels.items(), f"Service {service['metadata']['name']} selects no pod")
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            check(target in port_names or target in port_names.values(),
                  f"Service {service['metadata']['name']} targets port {target}, not the container's")
    if headless:
        check(headless[0]["spec"].get("publishNotReadyAddresses") is True,
              "the headless Service hides draining replicas (publishNotReadyAddresses)")

    # Files named by the args are mounted from the ConfigMap and the Secret.
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}

    def source_of(path):
        directory_path, key = os.path.split(path)
        volume = volumes.get(mounts.get(directory_path, ""), {})
        return volume, key

    config_volume, config_key = source_of(options.get("--config", ""))
    configmaps = {d["metadata"]["name"]: d for d in documents if d["kind"] == "ConfigMap"}
    configmap = configmaps.get(config_volume.get("configMap", {}).get("name"))
    config_text = ""
    if check(configmap is not None, "--config is not a file of a ConfigMap in the manifests"):
        config_text = configmap["data"].get(config_key, "")
        check(config_text, f"the ConfigMap has no {config_key}")
        conf_grace = re.findall(r"^\s*grace-seconds\s*=\s*(\d+)", config_text, re.M)
        check(all(int(g) == grace for g in conf_grace), "node.conf sets another grace-seconds than the args")
        for name in re.findall(r"^\s*([a-z0-9-]+)\s*=", config_text, re.M):
            check("--" + name in known, f"node.conf option {name} is not an option of the node")
    for option in ("--jwt-secret-file", "--users"):
        volume, key = source_of(options.get(option, ""))
        secret = volume.get("secret")
        if check(secret is not None, f"{option} is not a file of a mounted Secret"):
            items = secret.get("items")
            check(items is None or any(i["path"] == key for i in items), f"the Secret volume has no {key}")

    security = container.get("securityContext", {})
    check(pod.get("securityContext", {}).get("runAsNonRoot") is True, "the pod may run as root")
    check(security.get("allowPrivilegeEscalation") is False, "privilege escalation is allowed")

    if not failures:
        run_node(binary, container, config_text, grace, termination_grace)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
    for failure in failures:
        print("FAIL:", failure)
    print("kubernetes manifests:", "ok" if not failures else f"{len(failures)} problem(s)")
    sys.exit(1 if failures else 0)
