#!/usr/bin/env python3
"""Checks deploy/container/Containerfile against what the packaging produces (no docker or
podman here to build it).

Usage: check_containerfile.py CONTAINERFILE BUILD_DIR KUBERNETES_DIR

- FROM debian:12-slim (the .deb's dependencies are Debian 12's);
- the .deb it copies and installs is the one CPack names for the node component
  (CPACK_DEBIAN_NODE_PACKAGE_NAME, DEB-DEFAULT file name: NAME_VERSION_ARCH.deb);
- ENTRYPOINT and the --config file in CMD are files that component installs
  (`cmake --install BUILD_DIR --component node` into a temporary DESTDIR), and the options
  in CMD are ones the installed binary's `node --help` lists;
- it runs as a non-root uid, the one it creates and the one the Kubernetes manifests run as;
- EXPOSE, CMD's --listen port and the manifests' containerPort agree.
"""

import fnmatch
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
    return condition


def instructions(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"\\\n", " ", text)
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def exec_form(value):
    check(value.startswith("["), f"not in exec form: {value}")
    return json.loads(value)


def cpack_variable(build_dir, name):
    with open(os.path.join(build_dir, "CPackConfig.cmake"), encoding="utf-8") as f:
        match = re.search(rf'^set\({name} "([^"]*)"\)', f.read(), re.M)
    return match.group(1) if match else None


def main(containerfile, build_dir, kubernetes_dir):
    steps = instructions(containerfile)
    values = {}
    for keyword, rest in steps:
        values.setdefault(keyword, []).append(rest)

    check(values.get("FROM") == ["debian:12-slim"], f"FROM is {values.get('FROM')}, not debian:12-slim")

    package = cpack_variable(build_dir, "CPACK_DEBIAN_NODE_PACKAGE_NAME")
    version = cpack_variable(build_dir, "CPACK_PACKAGE_VERSION")
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    check(package and version and arch, "could not read the node package's name and version from CPackConfig.cmake")
    deb = f"{package}_{version}_{arch}.deb"
    copies = [c.split()[0] for c in values.get("COPY", [])]
    check(any(fnmatch.fnmatch(deb, os.path.basename(c)) for c in copies), f"no COPY of {deb} (COPY {copies})")
    runs = " ".join(values.get("RUN", []))
    installs = re.findall(r"apt-get install [^&]*?(\S+\.deb)", runs)
    check(any(fnmatch.fnmatch("/tmp/" + deb, i) for i in installs), f"{deb} is not installed with apt-get ({installs})")

    with tempfile.TemporaryDirectory(prefix="sb-container-") as root:
        environment = dict(os.environ, DESTDIR=root)
        install = subprocess.run(["cmake", "--install", build_dir, "--component", "node",
                                  "--prefix", cpack_variable(build_dir, "CPACK_PACKAGING_INSTALL_PREFIX") or "/usr"],
                                 env=environment, capture_output=True, text=True)
        if not check(install.returncode == 0, f"cmake --install --component node failed: {install.stderr}"):
            return
        installed = {p[len(root):] for p in glob.glob(root + "/**", recursive=True) if os.path.isfile(p)}

        entrypoint = exec_form(values.get("ENTRYPOINT", ["[]"])[-1])
        command = exec_form(values.get("CMD", ["[]"])[-1])
        binary = entrypoint[0] if entrypoint else ""
        check(binary in installed, f"ENTRYPOINT {binary} is not a file the node package installs ({sorted(installed)})")
        check(len(entrypoint) == 1 and command[:1] == ["node"], "ENTRYPOINT is not the binary alone with CMD 'node …'")
        options = dict(zip(command[1::2], command[2::2]))
        check(options.get("--config") in installed, f"CMD's --config {options.get('--config')} is not installed")
        if binary in installed:
            help_text = subprocess.run([root + binary, "node", "--help"], capture_output=True, text=True).stdout
            known = set(re.findall(r"^\s+(?:-\w, )?(--[a-z0-9-]+)", help_text, re.M))
            for name in options:
                check(name in known, f"CMD option {name} is not one of the installed binary's")

    # The user: created with a uid, not root, the manifests' runAsUser.
    users = values.get("USER", [])
    check(len(users) == 1, "expected one USER")
    uid = users[-1].split(":")[0] if users else "0"
    check(uid.isdigit() and int(uid) != 0, f"USER {uid} is not a numeric non-root uid")
    check(re.search(rf"useradd [^&]*--uid {uid}\b", runs), f"no useradd --uid {uid}")

    documents = []
    for path in sorted(glob.glob(os.path.join(kubernetes_dir, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            documents += [d for d in yaml.safe_load_all(f) if d]
    pod = next(d for d in documents if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    check(str(pod.get("securityContext", {}).get("runAsUser")) == uid, "the manifests run as another uid than USER")

    exposed = values.get("EXPOSE", [])
    listen = options.get("--listen", "")
    port = listen.rsplit(":", 1)[-1]
    check(exposed == [port], f"EXPOSE {exposed} is not CMD's --listen port {port}")
    container_ports = [str(p["containerPort"]) for p in pod["containers"][0]["ports"]]
    check(port in container_ports, f"the manifests' containerPort {container_ports} is not {port}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
    for failure in failures:
        print("FAIL:", failure)
    print("Containerfile:", "ok" if not failures else f"{len(failures)} problem(s)")
    sys.exit(1 if failures else 0)
