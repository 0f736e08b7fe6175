"""Both ways the CloudFormation target names a function's code, each taken as the README says
a user takes it, with the real AWS CLI, cfn-lint and the emulator of `deploy.py`.

usage: package.py STACKWIRE ROOT

For the project `stackwire init` writes and for the `fixtures/ok` stacks in `STACKS`, each in a
folder of its own with every function's `source` on disk (the handler files `deploy.py` writes,
or for a `.jar`/`.zip` source, a zip of them at that path):

1. *Without `--code-bucket`*: `stackwire compile stack.yaml --target cloudformation -o
   template.yaml`. Each function's `Code` is its source, as written. cfn-lint (the version
   the repository pins) finds exactly one `W3002` per function, at its `Code`, and nothing
   else. The real `aws cloudformation package --s3-bucket PACKAGED` (PyPI `awscli`) zips and
   uploads each folder to the emulator's S3 and writes `packaged.yaml`: each `Code` is now
   `{S3Bucket: PACKAGED, S3Key: K}`, the object at K is the folder's zip (the same files) or the
   file itself, and nothing else in the template changed. cfn-lint finds nothing in it. It is
   created in the emulator's CloudFormation and verified as `deploy.py` verifies a stack
   (streams, functions, roles, mappings), and each function's code is the object at its
   `Code` (Lambda's `CodeSha256` and `CodeSize` are those of that object).
2. *With `--code-bucket ARTIFACTS`*: the zips are uploaded first by the real `aws s3 cp
   --recursive`, each under the key the README gives (the `source` without `./` and trailing
   slashes, plus `.zip`; a `.zip` or `.jar` source is its own key), computed here from the
   stack description. Each `Code` is `{S3Bucket: ARTIFACTS, S3Key: that key}`; cfn-lint finds
   nothing; it is created and verified the same way.

The emulator is reset between the two forms of a stack (`/moto-api/reset`), as both create the
same named streams and functions.

The AWS CLI's `cloudformation package` makes its S3 client without the `--endpoint-url` it is
given (awscli 1.46.3, `customizations/cloudformation/package.py`), so the emulator is named to
the CLI by botocore's own variable for it, `AWS_ENDPOINT_URL`; nothing else in how it runs is
changed.
"""

import base64
import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
import zipfile

import deploy
from deploy import Aws, Deployment, Failures, handler_files

PACKAGED = "stackwire-packaged"  # the bucket `aws cloudformation package` uploads to
ARTIFACTS = "stackwire-artifacts"  # the bucket `--code-bucket` names
# `fixtures/ok` stacks with several functions each, their code in local folders: a function
# with its own `source` folder (kitchen-sink, orders-pipeline), a `.jar` source
# (clickstream-analytics), existing streams and a parameter (kitchen-sink).
STACKS = ["kitchen-sink", "clickstream-analytics", "orders-pipeline", "log-aggregation"]
BIN = os.path.dirname(sys.executable)


def tool(name: str, *args: str, env: dict | None = None, cwd: str | None = None):
    """The venv's console script `name` (run by this Python, so a moved venv still works)."""
    return subprocess.run([sys.executable, os.path.join(BIN, name), *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


def cli_env(endpoint: str) -> dict:
    """The AWS CLI's environment: dummy credentials, the Region, the emulator, no config file
    of the machine's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": deploy.REGION, "AWS_ENDPOINT_URL": endpoint,
                "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                "AWS_EC2_METADATA_DISABLED": "true"})
    return env


def lint_start(paths: list[str]) -> subprocess.Popen:
    """cfn-lint on `paths` (one run for all: it takes seconds to start), in the background."""
    return subprocess.Popen([sys.executable, os.path.join(BIN, "cfn-lint"), "--format", "json", *paths],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def lint_findings(run: subprocess.Popen, paths: list[str]) -> dict[str, list[tuple[str, list[str]]]]:
    """cfn-lint's findings, by file: (rule, path in the template) each, sorted."""
    stdout, stderr = run.communicate(timeout=300)
    try:
        found = json.loads(stdout or "[]")
    except ValueError:
        raise RuntimeError(f"cfn-lint ({run.returncode}): {stdout}{stderr}")
    # Its exit code is a bit mask of the levels found (2 error, 4 warning, 8 informational).
    if run.returncode & ~14 or stderr.strip():
        raise RuntimeError(f"cfn-lint failed ({run.returncode}): {stderr}")
    out: dict[str, list] = {p: [] for p in paths}
    for m in found:
        out[m["Filename"]].append((m["Rule"]["Id"], [str(p) for p in m["Location"]["Path"]]))
    return {p: sorted(v) for p, v in out.items()}


def load(path: str) -> dict:
    """A template as CloudFormation reads it (short-form intrinsics in their long form)."""
    from cfnlint.decode import cfn_yaml

    return json.loads(json.dumps(cfn_yaml.load(path), default=str))


def readme_key(source: str) -> str:
    """The S3 key `--code-bucket` gives a function's code, as the README states it."""
    key = source
    while key.startswith("./"):
        key = key[2:]
    key = key.rstrip("/")
    return key if key.endswith((".zip", ".jar")) else key + ".zip"


def zip_folder(folder: str) -> bytes:
    """What `zip -qr` of the folder holds (the README's upload step)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for base, _, names in sorted(os.walk(folder)):
            for n in sorted(names):
                full = os.path.join(base, n)
                info = zipfile.ZipInfo(os.path.relpath(full, folder), date_time=(2020, 1, 1, 0, 0, 0))
                z.writestr(info, open(full, "rb").read())
    return buf.getvalue()


def sha256(body: bytes) -> str:
    return base64.b64encode(hashlib.sha256(body).digest()).decode()


class Project:
    """A stack in a folder of its own, each function's source on disk."""

    def __init__(self, stackwire: str, root: str, name: str, tmp: str):
        self.name, self.stackwire = name, stackwire
        self.dir = os.path.join(tmp, name)
        if name == "init":
            out = subprocess.run([stackwire, "init", self.dir], capture_output=True, text=True)
            if out.returncode != 0:
                raise RuntimeError(f"stackwire init failed ({out.returncode}): {out.stderr}")
        else:
            os.makedirs(self.dir)
            shutil.copy(os.path.join(root, "fixtures", "ok", name + ".yaml"),
                        os.path.join(self.dir, "stack.yaml"))
        self.path = os.path.join(self.dir, "stack.yaml")
        self.model = deploy.Model(self.path)
        self.args = deploy.args_of(self.path)
        # What each function's source holds: its files (a folder) or its bytes (a zip file).
        self.sources: dict[str, str] = {}
        self.contents: dict[str, dict[str, bytes] | bytes] = {}
        for fid, fn in self.model.functions.items():
            source = fn.get("source", f"src/{fid}")
            if not isinstance(source, str) or source.startswith("s3://"):
                raise RuntimeError(f"{name}: {fid}'s code is not local ({source!r})")
            self.sources[fid] = source
            where = os.path.join(self.dir, source)
            if source.endswith((".zip", ".jar")):
                os.makedirs(os.path.dirname(where), exist_ok=True)
                files = handler_files(fn["runtime"], fn["handler"], [])
                with open(where, "wb") as f:
                    f.write(deploy.zip_bytes(files))
                self.contents[fid] = open(where, "rb").read()
                continue
            if name != "init":  # `stackwire init` wrote its own handlers
                variables = [n for w, n, _ in self.model.discoveries(fid)
                             if w.get("access", "readWrite") != "read"]
                for rel, text in handler_files(fn["runtime"], fn["handler"], variables).items():
                    os.makedirs(os.path.dirname(os.path.join(where, rel)), exist_ok=True)
                    with open(os.path.join(where, rel), "w", encoding="utf-8") as f:
                        f.write(text)
            files = {}
            for base, _, names in os.walk(where):
                for n in names:
                    full = os.path.join(base, n)
                    files[os.path.relpath(full, where)] = open(full, "rb").read()
            if not files:
                raise RuntimeError(f"{name}: {fid}'s source {where} is empty")
            self.contents[fid] = files

    def compile(self, output: str, *extra: str) -> str:
        out = subprocess.run([self.stackwire, "compile", "stack.yaml", *self.args, "--target",
                              "cloudformation", *extra, "-o", output], capture_output=True,
                             text=True, cwd=self.dir)
        if out.returncode != 0:
            raise RuntimeError(f"{self.name}: stackwire compile {' '.join(extra)} failed:\n{out.stderr}")
        return os.path.join(self.dir, output)


class CfnDeployment(Deployment):
    """`deploy.py`'s deployment of a stack, created from a CloudFormation target's template
    as it is (no SAM translation)."""

    def __init__(self, aws: Aws, project: Project, name: str, template: dict, fails: Failures):
        self.cfn = template
        super().__init__(aws, project.stackwire, "", name, project.path, fails)

    def template(self, path: str | None = None) -> dict:
        return self.cfn

    def prepare(self) -> None:
        super().prepare()
        # `Deployment.prepare` also puts code zips in its own bucket; this stack's code is only
        # where its template says.
        s3 = self.aws.client("s3")
        for fid in self.model.functions:
            s3.delete_object(Bucket=deploy.BUCKET, Key=f"{self.name}/{fid}.zip")

    def verify_code(self, facts: dict, locations: dict[str, tuple[str, str]]) -> None:
        """Each function's code is the object at its S3 location."""
        lam, s3 = self.aws.client("lambda"), self.aws.client("s3")
        for fid, (bucket, key) in locations.items():
            what = f"{self.name}: function {fid} code"
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            got = lam.get_function(FunctionName=facts["physical"][fid])
            conf = got["Configuration"]
            self.fails.equal((conf["CodeSha256"], conf["CodeSize"]), (sha256(body), len(body)),
                             f"{what} (s3://{bucket}/{key})")
            self.fails.check(got["Code"]["Location"].endswith("/" + key),
                             f"{what}: location {got['Code']['Location']}, not key {key}")


def reset(endpoint: str) -> Aws:
    """The emulator emptied (both forms of a stack create the same named resources)."""
    request = urllib.request.Request(endpoint + "/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=60) as answer:
        answer.read()
    aws = Aws(endpoint)
    for bucket in (deploy.BUCKET, PACKAGED, ARTIFACTS):
        aws.client("s3").create_bucket(Bucket=bucket)
    return aws


def functions_of(template: dict) -> dict[str, dict]:
    return {k: r for k, r in (template.get("Resources") or {}).items()
            if r.get("Type") == "AWS::Lambda::Function"}


def without_code(template: dict) -> dict:
    out = json.loads(json.dumps(template))
    for r in functions_of(out).values():
        r["Properties"].pop("Code", None)
    return out


def packaged_form(p: Project, endpoint: str, fails: Failures) -> str | None:
    """`aws cloudformation package` on template.yaml, then the packaged template deployed; the
    packaged template's path (None when it was not written)."""
    aws = reset(endpoint)
    what = f"{p.name} (package)"
    template = load(p.template)
    fns = functions_of(template)
    fails.equal(sorted(fns), sorted(p.model.functions), f"{what}: functions")
    for fid, r in fns.items():
        fails.equal(r["Properties"].get("Code"), p.sources.get(fid), f"{what}: {fid} Code")
    out = tool("aws", "cloudformation", "package", "--s3-bucket", PACKAGED,
               "--template-file", os.path.basename(p.template),
               "--output-template-file", "packaged.yaml", env=cli_env(endpoint), cwd=p.dir)
    if out.returncode != 0:
        fails.check(False, f"{what}: aws cloudformation package failed ({out.returncode}):\n"
                           f"{out.stdout}{out.stderr}")
        return None
    packaged_path = os.path.join(p.dir, "packaged.yaml")
    packaged = load(packaged_path)
    fails.equal(without_code(packaged), without_code(template), f"{what}: packaged.yaml beyond Code")
    s3 = aws.client("s3")
    locations = {}
    for fid, r in functions_of(packaged).items():
        code = r["Properties"].get("Code")
        ok = isinstance(code, dict) and sorted(code) == ["S3Bucket", "S3Key"] and code["S3Bucket"] == PACKAGED
        fails.check(ok, f"{what}: {fid} Code in packaged.yaml is {code!r}")
        if not ok:
            continue
        locations[fid] = (PACKAGED, code["S3Key"])
        body = s3.get_object(Bucket=PACKAGED, Key=code["S3Key"])["Body"].read()
        source = p.contents[fid]
        if isinstance(source, bytes):
            fails.equal(sha256(body), sha256(source), f"{what}: {fid}'s object is its file")
        else:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                got = {n: z.read(n) for n in z.namelist()}
            fails.equal(got, source, f"{what}: {fid}'s zip holds its folder")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=PACKAGED).get("Contents") or [])
    fails.equal(keys, sorted(k for _, k in locations.values()), f"{what}: objects in {PACKAGED}")
    d = CfnDeployment(aws, p, f"{p.name}-packaged", packaged, fails)
    d.prepare()
    if d.create():
        d.verify_code(d.verify(), locations)
    return packaged_path


def bucket_form(p: Project, endpoint: str, fails: Failures) -> None:
    """The zips uploaded under the README's keys, then template-s3.yaml deployed as it is."""
    aws = reset(endpoint)
    what = f"{p.name} (--code-bucket)"
    # The README's upload step: each source's zip under its key, by the real `aws s3 cp`.
    staging = os.path.join(p.dir, "upload")
    locations = {}
    for fid, source in p.sources.items():
        key = readme_key(source)
        locations[fid] = (ARTIFACTS, key)
        where = os.path.join(staging, key)
        os.makedirs(os.path.dirname(where), exist_ok=True)
        body = p.contents[fid] if isinstance(p.contents[fid], bytes) \
            else zip_folder(os.path.join(p.dir, source))
        with open(where, "wb") as f:
            f.write(body)
    out = tool("aws", "s3", "cp", "--recursive", "--only-show-errors", staging, f"s3://{ARTIFACTS}/",
               env=cli_env(endpoint))
    if out.returncode != 0:
        fails.check(False, f"{what}: aws s3 cp failed ({out.returncode}): {out.stdout}{out.stderr}")
        return
    template = load(p.s3_template)
    fns = functions_of(template)
    fails.equal(sorted(fns), sorted(p.model.functions), f"{what}: functions")
    for fid, r in fns.items():
        bucket, key = locations.get(fid, (None, None))
        fails.equal(r["Properties"].get("Code"), {"S3Bucket": bucket, "S3Key": key}, f"{what}: {fid} Code")
    d = CfnDeployment(aws, p, f"{p.name}-bucket", template, fails)
    d.prepare()
    if d.create():
        d.verify_code(d.verify(), locations)


def main() -> int:
    stackwire, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    deploy.watch_parent()
    for key in [k for k in os.environ if k.startswith("AWS_")]:
        del os.environ[key]
    os.environ["AWS_DEFAULT_REGION"] = deploy.REGION
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    start = time.monotonic()
    fails = Failures()
    tmp = tempfile.mkdtemp(prefix="stackwire-package-")
    # Both templates of every stack first, and cfn-lint on them in the background meanwhile.
    projects = []
    for name in ["init", *STACKS]:
        try:
            p = Project(stackwire, root, name, tmp)
            p.template = p.compile("template.yaml")
            p.s3_template = p.compile("template-s3.yaml", "--code-bucket", ARTIFACTS)
            projects.append(p)
        except Exception:
            fails.check(False, f"{name}: {traceback.format_exc()}")
    unpackaged = [t for p in projects for t in (p.template, p.s3_template)]
    linting = lint_start(unpackaged)
    server, endpoint = deploy.start_server()
    packaged: dict[str, str] = {}
    deployed = 0
    try:
        for p in projects:
            started, before = time.monotonic(), len(fails.items)
            try:
                path = packaged_form(p, endpoint, fails)
                if path:
                    packaged[p.name] = path
                bucket_form(p, endpoint, fails)
            except Exception:  # one stack's error is its failure; the others still run
                fails.check(False, f"{p.name}: {traceback.format_exc()}")
            failed = len(fails.items) - before
            deployed += failed == 0
            print(f"{p.name}: {len(p.model.functions)} functions, packaged and deployed, and "
                  f"deployed from --code-bucket: {'ok' if failed == 0 else f'{failed} failed'}, "
                  f"{time.monotonic() - started:.1f} s", flush=True)
    finally:
        server.stop()
    found = lint_findings(linting, unpackaged)
    found.update(lint_findings(lint_start(list(packaged.values())), list(packaged.values())))
    for p in projects:
        want = sorted(("W3002", ["Resources", fid, "Properties", "Code"]) for fid in p.model.functions)
        fails.equal(found[p.template], want, f"{p.name}: cfn-lint on template.yaml")
        fails.equal(found[p.s3_template], [], f"{p.name}: cfn-lint on template-s3.yaml")
        if p.name in packaged:
            fails.equal(found[packaged[p.name]], [], f"{p.name}: cfn-lint on packaged.yaml")
        rules = sorted({r for r, _ in found[p.template]})
        print(f"{p.name}: cfn-lint: template.yaml {len(found[p.template])} ({', '.join(rules)}), "
              f"packaged.yaml {len(found.get(packaged.get(p.name), [None]))}, "
              f"template-s3.yaml {len(found[p.s3_template])}")
    print(f"{deployed}/{1 + len(STACKS)} stacks packaged and deployed both ways; {fails.checks} checks, "
          f"{len(fails.items)} failed, {time.monotonic() - start:.1f} s (emulator at {endpoint})")
    for item in fails.items:
        print("FAILED:", item)
    if not fails.items:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"kept in {tmp}")
    return 1 if fails.items or fails.checks == 0 else 0


if __name__ == "__main__":
    deploy.run(main)
