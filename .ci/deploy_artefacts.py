"""Cross-checks of deploy/ that no schema covers, run by .ci/deploy-check
with the venv's Python (PyYAML, and `dockerfile`: BuildKit's own Dockerfile
parser, from PyPI).

  deploy_artefacts.py dockerfile      the Dockerfile's stages, user, ports, build script
  deploy_artefacts.py ports           the same ports in the config, compose and Kubernetes
  deploy_artefacts.py kustomization R every manifest listed, or named as optional; in R
                                      (kustomize build with the replicas Component on),
                                      writer and replicas wired together
  deploy_artefacts.py context DIR     copy the Docker build context, as .dockerignore
                                      filters it (Docker's own matcher, from the
                                      `docker` SDK), into DIR

Each check prints what it checked and exits 1 naming the first problem.
"""
import os
import re
import shutil
import sys

import dockerfile
import yaml

API_PORT, METRICS_PORT = 8080, 9464
UID = "65532"


def fail(msg):
    print(f"deploy check: {msg}", file=sys.stderr)
    sys.exit(1)


def go_minor():
    with open("go.mod") as f:
        m = re.search(r"^go (\d+\.\d+)", f.read(), re.M)
    if not m:
        fail("go.mod has no go line")
    return m.group(1)


def check_dockerfile():
    cmds = dockerfile.parse_file("deploy/Dockerfile")
    froms = [i for i, c in enumerate(cmds) if c.cmd == "FROM"]
    if len(froms) != 2:
        fail(f"deploy/Dockerfile: want 2 stages (build, run), got {len(froms)}")
    build = cmds[froms[0]].value
    want = f"golang:{go_minor()}-bookworm"
    if build[0] != want or [v.lower() for v in build[1:]] != ["as", "build"]:
        fail(f"deploy/Dockerfile: build stage is {' '.join(build)}, want {want} AS build (go.mod's version)")
    runs = [c.value[0] for c in cmds[froms[0]:froms[1]] if c.cmd == "RUN"]
    if not any(re.search(r"(^|\s)deploy/build\.sh\s", r) for r in runs):
        fail("deploy/Dockerfile: the build stage does not run deploy/build.sh (CI builds with it: they must not drift)")
    final = cmds[froms[1]:]
    base = cmds[froms[1]].value[0]
    if base not in ("gcr.io/distroless/static-debian12:nonroot", "scratch"):
        fail(f"deploy/Dockerfile: final stage is {base}, want distroless static nonroot or scratch")
    last = {}
    for c in final:
        last.setdefault(c.cmd, []).append(c)
    user = last.get("USER", [None])[-1]
    if user is None or user.value[0].split(":")[0] != UID:
        fail(f"deploy/Dockerfile: the final stage must run as uid {UID}")
    if ["/data"] not in [list(c.value) for c in last.get("VOLUME", [])]:
        fail("deploy/Dockerfile: no VOLUME /data")
    exposed = {v for c in last.get("EXPOSE", []) for v in c.value}
    if exposed != {str(API_PORT), str(METRICS_PORT)}:
        fail(f"deploy/Dockerfile: EXPOSE {sorted(exposed)}, want {API_PORT} and {METRICS_PORT}")
    ep, cmd = last.get("ENTRYPOINT", [None])[-1], last.get("CMD", [None])[-1]
    if ep is None or not ep.json or list(ep.value) != ["/usr/local/bin/resindex"]:
        fail("deploy/Dockerfile: ENTRYPOINT must be [\"/usr/local/bin/resindex\"] (exec form)")
    if cmd is None or list(cmd.value) != ["serve", "--config", "/etc/resindex/resindex.yaml"]:
        fail("deploy/Dockerfile: CMD must be serve --config /etc/resindex/resindex.yaml")
    copies = [c for c in final if c.cmd == "COPY"]
    if not any("--from=build" in c.flags and c.value[-1] == "/usr/local/bin/resindex" for c in copies):
        fail("deploy/Dockerfile: the final stage does not copy the built binary")
    print(f"Dockerfile: 2 stages ({want} running deploy/build.sh; {base}), uid {UID}, VOLUME /data, ports {API_PORT} {METRICS_PORT}")


REPLICAS = "deploy/kubernetes/replicas/replicas.yaml"


def port_of(addr):
    return int(addr.rsplit(":", 1)[1])


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def check_ports():
    configs = {"deploy/resindex.yaml": load_all("deploy/resindex.yaml")[0]}
    for doc in load_all("deploy/kubernetes/configmap.yaml") + load_all(REPLICAS):
        if doc["kind"] == "ConfigMap":
            for key, text in doc["data"].items():
                configs[f"ConfigMap {doc['metadata']['name']} {key}"] = yaml.safe_load(text)
    for name, c in configs.items():
        got = (port_of(c.get("http_addr", ":0")), port_of(c.get("metrics_addr", ":0")))
        if got != (API_PORT, METRICS_PORT):
            fail(f"{name}: http_addr/metrics_addr ports {got}, want {API_PORT}/{METRICS_PORT}")
        if not c.get("data", "").startswith("/data/"):
            fail(f"{name}: data is {c.get('data')!r}, want a path on the /data volume")
    compose = load_all("deploy/compose.yaml")[0]
    svc = compose["services"]["resindex"]
    if svc.get("read_only") is not True or str(svc.get("user", "")).split(":")[0] != UID:
        fail("deploy/compose.yaml: resindex must be read_only with user 65532")
    if not any(str(v).split(":")[1] == "/data" for v in svc["volumes"]):
        fail("deploy/compose.yaml: resindex has no volume at /data")
    if f"resindex:{METRICS_PORT}" not in str(load_all("deploy/prometheus/prometheus.yml")[0]["scrape_configs"]):
        fail(f"deploy/prometheus/prometheus.yml: does not scrape resindex:{METRICS_PORT}")
    for path in ("deploy/kubernetes/statefulset.yaml", REPLICAS):
        for doc in load_all(path):
            if doc["kind"] not in ("StatefulSet", "Deployment"):
                continue
            (ctr,) = doc["spec"]["template"]["spec"]["containers"]
            ports = {p["name"]: p["containerPort"] for p in ctr["ports"]}
            if ports != {"http": API_PORT, "metrics": METRICS_PORT}:
                fail(f"{path}: container ports {ports}")
            sc = ctr["securityContext"]
            if not (sc.get("readOnlyRootFilesystem") and sc["capabilities"]["drop"] == ["ALL"]):
                fail(f"{path}: want readOnlyRootFilesystem and capabilities drop ALL")
            for probe, path_want in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
                got = ctr[probe]["httpGet"]
                if (got["path"], got["port"]) != (path_want, "metrics"):
                    fail(f"{path}: {probe} is {got}, want {path_want} on the metrics port")
    print(f"ports: {len(configs)} configurations, compose, Prometheus and the pods agree on {API_PORT} (API) and {METRICS_PORT} (metrics); /data volume; read-only root")


# Manifests in deploy/kubernetes that kustomization.yaml leaves out on purpose.
OPTIONAL = {"secret.example.yaml"}


def check_kustomization(rendered):
    d = "deploy/kubernetes"
    k = load_all(f"{d}/kustomization.yaml")[0]
    listed = set(k["resources"])
    files = {f for f in os.listdir(d) if f.endswith(".yaml") and f != "kustomization.yaml"}
    if missing := listed - files:
        fail(f"kustomization.yaml lists missing files: {sorted(missing)}")
    if unlisted := files - listed - OPTIONAL:
        fail(f"deploy/kubernetes: {sorted(unlisted)} neither in kustomization.yaml nor named optional")
    comp = load_all(f"{d}/replicas/kustomization.yaml")[0]
    if comp.get("kind") != "Component" or comp.get("resources") != ["replicas.yaml"]:
        fail(f"{d}/replicas/kustomization.yaml: want a Component of replicas.yaml")
    every = [f"{d}/{f}" for f in files] + [REPLICAS]
    for doc in (doc for f in every for doc in load_all(f)):
        if doc["kind"] == "Secret" and "PLACEHOLDER" not in str(doc.get("stringData", doc.get("data"))):
            fail("a Secret with real-looking values is committed in deploy/kubernetes")
    check_replica_wiring(load_all(rendered))
    print(f"kustomization: {len(listed)} manifests listed, optional: {sorted(OPTIONAL)} and the replicas Component")


def by_kind(docs, kind):
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def selects(service, pod_labels):
    return all(pod_labels.get(k) == v for k, v in service["spec"]["selector"].items())


def check_replica_wiring(docs):
    """In the build with replicas: the writer Service selects the writer
    only, the read Service both; the replicas follow the writer's stable
    name with the secret the writer serves them with, in the same image."""
    (sts,) = by_kind(docs, "StatefulSet").values()
    rep = by_kind(docs, "Deployment")["resindex-replica"]
    writer_pod, replica_pod = (x["spec"]["template"]["metadata"]["labels"] for x in (sts, rep))
    svc = by_kind(docs, "Service")
    for name, want in (("resindex-writer", (True, False)), ("resindex-read", (True, True))):
        if name not in svc or (selects(svc[name], writer_pod), selects(svc[name], replica_pod)) != want:
            fail(f"Service {name}: want it to select writer/replica pods {want}")
    cms = by_kind(docs, "ConfigMap")
    writer = yaml.safe_load(cms["resindex-config"]["data"]["resindex.yaml"])
    replica = yaml.safe_load(cms["resindex-replica-config"]["data"]["replica.yaml"])
    want = f"http://{sts['metadata']['name']}-0.{sts['spec']['serviceName']}:{API_PORT}"
    if replica.get("replication", {}).get("replica_of") != want:
        fail(f"the replicas' replication.replica_of is not the writer's stable name {want}")
    secret = writer.get("replication", {}).get("secret_file")
    if not secret or replica["replication"].get("secret_file") != secret:
        fail("the writer and the replicas must name the same replication.secret_file")
    items = [v for v in rep["spec"]["template"]["spec"]["volumes"] if v["name"] == "secrets"][0]["secret"]
    if os.path.basename(secret) not in [i["path"] for i in items.get("items", [])]:
        fail(f"the replicas do not mount {secret} from the Secret")
    (w_ctr,), (r_ctr,) = sts["spec"]["template"]["spec"]["containers"], rep["spec"]["template"]["spec"]["containers"]
    if w_ctr["image"] != r_ctr["image"]:
        fail(f"replicas run {r_ctr['image']}, the writer {w_ctr['image']}")
    print(f"replicas: follow {want} with {secret}; resindex-writer selects the writer, resindex-read both; image {r_ctr['image']}")


def copy_context(dest):
    """Every file under the repository root that Docker would send: the
    tree walked as Docker walks it (not git's view: .gitignore does not
    apply), filtered by .dockerignore with Docker's own rules (Go
    filepath.Match patterns, **, ! exceptions), as the docker SDK
    implements them."""
    # Despite its name, exclude_paths returns the paths Docker sends (files
    # and directories, relative to the root): what no pattern excludes.
    from docker.utils.build import exclude_paths

    with open(".dockerignore") as f:
        patterns = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    n = 0
    for rel in sorted(exclude_paths(os.getcwd(), patterns, dockerfile="deploy/Dockerfile")):
        if os.path.islink(rel) or not os.path.isfile(rel):
            continue
        os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
        shutil.copy2(rel, os.path.join(dest, rel))
        n += 1
    for must in ("go.mod", "go.sum", "deploy/build.sh", "cmd/resindex/main.go"):
        if not os.path.exists(os.path.join(dest, must)):
            fail(f".dockerignore leaves out {must}")
    for mustnot in (".git", "deploy/secrets", "docs"):
        if os.path.exists(os.path.join(dest, mustnot)):
            fail(f"the build context holds {mustnot}: .dockerignore should leave it out")
    print(f"build context: {n} files after .dockerignore")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    {"dockerfile": check_dockerfile, "ports": check_ports, "kustomization": lambda: check_kustomization(sys.argv[2]),
     "context": lambda: copy_context(sys.argv[2])}.get(what, lambda: fail(f"unknown check {what!r}"))()
