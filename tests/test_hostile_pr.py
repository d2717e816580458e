"""Issue #22, critical: a pull request must never run code or delete files on the machine that builds it.

A scratch data repository gets a "pull request" that commits every file an attacker could plant for
the tool (older versions read caches and deleted through links in the data folder): pickles that
run code when loaded, links named like the tool's cache, trash, lock, dirty mark, image store,
staging and replaced-output folders, pointing at a victim folder (a home folder's ``.ssh`` and
``Documents``) and at the checkout's parent. The commands of the pull-request workflow
(.github/workflows/pull-request.yml) then run on it:

* tracked, as the pull request brings them: ``ocop validate`` refuses with one line per planted
  output or cache (``tracked-output``), and so do ``build`` and ``labels``;
* untracked (the same files left in the work tree, as a careless local checkout would have them):
  ``build`` and ``labels`` succeed and ignore them.

Either way nothing was executed (no canary file), nothing outside the checkout changed, and every
planted name is still there as it was — the tool deletes only names it made itself.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.runtime import cache
from catalog.runtime import output
from .conftest import AS_OF, copy_data

OCOP = [sys.executable, "-m", "catalog.cli"]


class _Exploit:
    """Unpickling this runs ``exec(code)``: what a planted cache would do to an older version."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __reduce__(self):
        return (exec, (self.code,))


def _snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every entry under ``folder`` (links as links, never followed) → what it is."""
    seen: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        rel_dir = os.path.relpath(dirpath, folder)
        if rel_dir.split(os.sep)[0] in skip or any(rel_dir.split(os.sep)[0].startswith(s) for s in skip if s.endswith("*")):
            continue
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(rel_dir, name))
            if rel.split(os.sep)[0] in skip:
                continue
            if os.path.islink(path):
                seen[rel] = "link → " + os.readlink(path)
            elif os.path.isfile(path):
                seen[rel] = "file " + Path(path).read_bytes().hex()[:64] + str(os.path.getsize(path))
            else:
                seen[rel] = "dir"
    return seen


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


@pytest.fixture
def hostile(tmp_path):
    """(checkout, victim home folder, canary path, planted names) after the hostile pull request."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh/id_ed25519").write_text("secret key\n")
    (home / "Documents/thesis").mkdir(parents=True)
    (home / "Documents/thesis/chapter1.txt").write_text("five years of work\n")
    (home / "notes.txt").write_text("do not overwrite\n")
    repo = copy_data(tmp_path, "checkout")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")

    canary = tmp_path / "PWNED"
    payload = pickle.dumps(_Exploit(f"open({str(canary)!r}, 'w').write('code ran')"))
    signed_lookalike = cache.SIGNED + os.urandom(32) + payload  # a guessed signature: never trusted
    planted: dict[str, bytes | str] = {
        ".site.cache/files.pickle": payload,
        ".labels.cache/files.pickle": signed_lookalike,
        ".site.nhan-in.cache/files.pickle": payload,
        ".site.cache/site.json": '{"format": 1, "global": "x", "keyed": {}, "out_inode": 0}',
        ".site.cache/trash": "->" + str(home),
        ".labels.cache/trash": "->..",
        ".site.cache/lock": "->" + str(home / "notes.txt"),
        ".site.cache/dirty": "->" + str(home / "notes.txt"),
        ".site.cache/img": "->" + str(home / "Documents"),
        ".labels.cache/lock": "->" + str(home / ".ssh/id_ed25519"),
        ".site.cache/shadow": "->" + str(home),
        ".site.old-1": "->" + str(home),
        ".site.building-x": "->" + str(home / "Documents"),
        ".labels.building-y": "->" + str(home),
        ".labels.old-2/.ocop-output": "ocop labels: planted\n",
        "site/.ocop-output": "ocop build: planted\n",
    }
    for rel, content in planted.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str) and content.startswith("->"):
            os.symlink(content[2:], path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    _git(repo, "checkout", "-q", "-b", "pr")
    _git(repo, "add", "-f", "-A")
    _git(repo, "commit", "-q", "-m", "hostile pull request")
    return repo, home, canary, sorted(planted)


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(repo.parent / "home"), "OCOP_DELETE_NOW": "1"}
    return subprocess.run(OCOP + list(args), cwd=repo, capture_output=True, text=True, env=env, timeout=600)


def _workflow(repo: Path) -> list[subprocess.CompletedProcess]:
    """The pull-request workflow's commands, in its order (every one run, as `if: always()` would)."""
    return [_run(repo, "validate", "--format", "github", "--as-of", AS_OF.isoformat()),
            _run(repo, "fmt", "--check"),
            _run(repo, "build", "--out", "site", "--as-of", AS_OF.isoformat()),
            _run(repo, "labels", "--out", "labels", "--lots", "--as-of", AS_OF.isoformat()),
            _run(repo, "diff", "main", "--format", "markdown")]


def _untouched(repo: Path, home: Path, canary: Path, planted: list[str], before_home: dict, before_repo: dict) -> None:
    assert not canary.exists(), "a planted pickle was unpickled: code ran"
    assert _snapshot(home) == before_home, "a file outside the checkout changed"
    after = _snapshot(repo, skip=("site", "labels", ".git"))
    after = {k: v for k, v in after.items() if ".ocop-" not in k.split(os.sep)[0]}  # the tool's own work folders
    assert after == before_repo, "a file of the checkout changed"
    for rel in planted:
        assert os.path.lexists(repo / rel), f"{rel} (not the tool's) was deleted"
    assert (repo / ".git/HEAD").is_file()


def test_a_hostile_pull_request_is_refused_and_runs_nothing(hostile):
    repo, home, canary, planted = hostile
    before_home, before_repo = _snapshot(home), _snapshot(repo, skip=(".git",))
    validate, fmt, build, labels, diff = _workflow(repo)
    for run in (validate, fmt, build, labels, diff):
        assert "Traceback" not in run.stderr + run.stdout, run.stderr
    assert validate.returncode == 1
    flagged = [line for line in validate.stdout.splitlines() if "tracked-output" in line or "bộ nhớ đệm" in line]
    for name in (".site.cache/files.pickle", ".labels.cache/files.pickle", ".site.old-1", "site"):
        assert any(f"'{name}'" in line for line in flagged), (name, validate.stdout)
    assert all(line.startswith("::error file=") for line in flagged)
    assert build.returncode == 1 and labels.returncode == 1  # the same errors refuse them
    _untouched(repo, home, canary, planted, before_home, {k: v for k, v in before_repo.items() if not k.startswith("site")})


def test_the_same_files_left_untracked_are_ignored_by_build_and_labels(hostile):
    repo, home, canary, planted = hostile
    _git(repo, "rm", "-r", "-q", "--cached", *planted)
    _git(repo, "commit", "-q", "-m", "untrack")
    (repo / "site").rename(repo.parent / "planted-site")  # `site` itself would be refused as a stranger's folder
    before_home, before_repo = _snapshot(home), _snapshot(repo, skip=(".git",))
    planted = [p for p in planted if not p.startswith("site/")]
    for _ in range(2):  # a cold build, then an incremental one with a shadow
        validate, fmt, build, labels, diff = _workflow(repo)
        assert validate.returncode == 0, validate.stdout
        assert build.returncode == 0, build.stderr
        assert labels.returncode == 0, labels.stderr
        assert output.made_by(repo / "site") == "build" and (repo / "site/index.html").is_file()
        _untouched(repo, home, canary, planted, before_home, before_repo)


def test_a_cache_file_changed_by_anyone_else_is_never_unpickled(tmp_path):
    """The tool's own cache (outside the checkout) signs what it pickles; an altered file is only a
    slower build."""
    canary = tmp_path / "PWNED"
    path = tmp_path / "files.pickle"
    fc = cache.FileCache(path)
    fc.put("a.yaml", "d" * 64, ("a.yaml", None, {"id": "a"}, True, []))
    fc.save()
    assert cache.FileCache(path).old, "a signed cache is read back"
    doc = path.read_bytes()
    evil = pickle.dumps({"code": cache.code_fingerprint(), "files": _Exploit(f"open({str(canary)!r}, 'w')")})
    path.write_bytes(doc[:len(cache.SIGNED) + 32] + evil)  # the old signature, another payload
    assert cache.FileCache(path).old == {}
    path.write_bytes(evil)  # no signature at all (what an older version wrote)
    assert cache.FileCache(path).old == {}
    assert not canary.exists()


def test_the_tools_folders_must_be_real_folders_of_this_user(tmp_path, monkeypatch):
    victim = tmp_path / "victim"
    victim.mkdir()
    link = tmp_path / "cache-link"
    link.symlink_to(victim)
    monkeypatch.setenv("OCOP_CACHE_DIR", str(link))
    with pytest.raises(Exception, match="liên kết tượng trưng"):
        output.cache_dir(tmp_path / "site")
    assert list(victim.iterdir()) == []


@pytest.mark.parametrize("command,out", [("labels", "site/nhan-in"), ("build", "out2/web")])
def test_an_output_under_a_committed_link_is_refused(tmp_path, command, out):
    """Probe, round five: the output itself a link was refused, but not one under a committed link
    (``site → ../victim``; the README suggests ``ocop labels --out site/nhan-in``): the tool wrote
    its folders outside the checkout."""
    root = copy_data(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (root / out.split("/")[0]).symlink_to(victim)
    done = subprocess.run([sys.executable, "-m", "catalog.cli", command, "--root", str(root), "--out", out,
                           "--as-of", AS_OF.isoformat()], cwd=root, capture_output=True, text=True)
    assert done.returncode != 0 and "liên kết tượng trưng (symlink) trong thư mục dữ liệu" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert list(victim.iterdir()) == []


def test_writers_never_follow_a_link_planted_under_their_old_temporary_names(tmp_path):
    """`ocop fmt` wrote `.<record>.fmt` and `ocop manifest` `.published-ids.txt.tmp-<pid>` beside the
    file they replace: a committed link of that name redirected the write anywhere. Temporary names
    are now random and created exclusively (catalog/runtime/output.py ``write_atomic``)."""
    root = copy_data(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("do not overwrite\n")
    record = root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("\nname:", "\nname:   ", 1), encoding="utf-8")
    (record.parent / f".{record.name}.fmt").symlink_to(victim)
    for pid in range(os.getpid(), os.getpid() + 200):  # the next few process ids
        (root / f".published-ids.txt.tmp-{pid}").symlink_to(victim)
    before = record.stat().st_mode
    fmt = _run(root, "fmt", "--root", str(root))
    manifest = _run(root, "manifest", "--root", str(root), "--as-of", AS_OF.isoformat())
    assert fmt.returncode == 0 and manifest.returncode == 0, fmt.stderr + manifest.stderr
    assert victim.read_text() == "do not overwrite\n"
    assert "\nname: " in record.read_text(encoding="utf-8") and record.stat().st_mode == before
    assert (record.parent / f".{record.name}.fmt").is_symlink()



def test_import_writes_through_no_link_a_pull_request_committed(tmp_path, run_cli):
    """`ocop intake` runs `ocop import --write` on a pull request's files (issue #26): a link committed
    under the importer's old fixed temporary name, or as a province folder, redirects nothing."""
    from . import annex_shapes as shapes

    victim = tmp_path / "victim.txt"
    victim.write_text("do not overwrite\n")
    root = copy_data(tmp_path)
    source = shapes.rerecognition_xlsx(root, tmp_path / "cong-nhan-lai.xlsx")
    folder = root / "products/hai-phong"
    for name in ("vai-thieu-thanh-ha", "banh-gai-ninh-giang"):
        (folder / f".{name}.yaml.import-tmp").symlink_to(victim)
    args = ["import", str(source), "--root", str(root), "--as-of", AS_OF.isoformat(), "--write"]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "do not overwrite\n"
    assert "512/GCN-UBND" in (folder / "vai-thieu-thanh-ha.yaml").read_text(encoding="utf-8")
    assert (folder / ".vai-thieu-thanh-ha.yaml.import-tmp").is_symlink()

    # the province folder itself a link to somewhere else: nothing is written there (Điện Biên's
    # annex creates new products and producers in products/dien-bien/ and producers/dien-bien/)
    again = copy_data(tmp_path, "again")
    elsewhere = tmp_path / "elsewhere"
    (again / "products/dien-bien").rename(elsewhere)
    (again / "products/dien-bien").symlink_to(elsewhere)
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    new_annex = shapes.star_sheets_xlsx(tmp_path / "dien-bien.xlsx")
    result = run_cli("import", str(new_annex), "--root", str(again), "--as-of", AS_OF.isoformat(), "--write")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "liên kết tượng trưng" in result.output
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before
