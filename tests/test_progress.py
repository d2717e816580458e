"""Long runs say where they are (issue #18, catalog/runtime/progress.py): bars on a terminal, plain phase lines in
pipes and CI, nothing in JSON output, and forked workers' work counted as it comes back."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.runtime import parallel
from catalog.runtime.progress import Phase, Progress

from .conftest import AS_OF, REPO

RECORDS = sum(len(list((REPO / kind).glob("*/*.yaml"))) for kind in ("products", "producers", "sales_points", "villages"))
PHASE_LINE = re.compile(r"^ocop (validate|build|labels|booklet): [^\r\x1b]+?( \(\d+\))?…$")


def ocop(*args: str, pty: bool = False, cwd: Path | None = None) -> tuple[int, str, str]:
    """The real command, standard output to a pipe, standard error to a pipe or (``pty``) to a
    pseudo-terminal — as on an officer's screen."""
    command = [sys.executable, "-m", "catalog.cli", *map(str, args)]
    if not pty:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd, stdin=subprocess.DEVNULL)
        return done.returncode, done.stdout, done.stderr
    master, slave = os.openpty()
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, cwd=cwd)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the other end closed (Linux: EIO)
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    out = proc.stdout.read().decode("utf-8")
    proc.stdout.close()
    return proc.wait(timeout=300), out, b"".join(chunks).decode("utf-8", "replace")


def bars(stderr: str) -> dict[str, list[tuple[int, int]]]:
    """Each bar's label → the (done, total) counts it showed, in order."""
    found: dict[str, list[tuple[int, int]]] = {}
    for frame in re.split(r"[\r\n]+", stderr):
        match = re.search(r"(ocop \w+: [^\[\x1b]+?)\s+\[[#-]+\]\s+(\d+)/(\d+)", frame)
        if match:
            found.setdefault(match.group(1), []).append((int(match.group(2)), int(match.group(3))))
    return found


def test_build_on_a_terminal_shows_a_bar_with_the_count_done(tmp_path):
    code, out, err = ocop("build", "--root", REPO, "--out", tmp_path / "site", "--as-of", AS_OF.isoformat(), pty=True)
    assert code == 0, err
    shown = bars(err)
    pages = shown["ocop build: Ghi trang và tệp dữ liệu"]
    total = pages[-1][1]
    assert total > 400 and pages[-1] == (total, total)
    assert len(pages) > 2 and [done for done, _ in pages] == sorted(done for done, _ in pages)  # it moved, forward
    records = shown["ocop build: Đọc và kiểm tra hồ sơ"]
    assert records[-1][0] == records[-1][1] == RECORDS
    for phase in ("Kiểm tra các hồ sơ với nhau…", "Dựng khung trang bằng MkDocs…", "Đưa trang mới vào thư mục…"):
        assert f"ocop build: {phase}" in err
    # standard output is what it always was: the one summary line
    assert re.fullmatch(r"Đã xây dựng \d+ trang, \d+ tệp vào .+ trong [\d.]+ giây \(\d+ cảnh báo\)\.\n", out)


def test_in_a_pipe_only_plain_phase_lines_and_the_same_standard_output(tmp_path, run_cli):
    code, out, err = ocop("validate", "--root", REPO, "--as-of", AS_OF.isoformat())
    assert code == 0
    assert out == run_cli("validate", "--root", REPO, "--as-of", AS_OF.isoformat()).stdout
    lines = err.splitlines()
    assert lines == [f"ocop validate: Đọc và kiểm tra hồ sơ ({RECORDS})…",
                     "ocop validate: Kiểm tra các hồ sơ với nhau…"]
    # in the language of the messages (they were Vietnamese under --lang en)
    code, _, err = ocop("validate", "--root", REPO, "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert code == 0 and err.splitlines() == [f"ocop validate: Reading and checking the records ({RECORDS})…",
                                              "ocop validate: Checking the records against each other…"]
    code, out, err = ocop("build", "--root", REPO, "--out", tmp_path / "site", "--as-of", AS_OF.isoformat())
    assert code == 0 and out.startswith("Đã xây dựng ") and out.count("\n") == 1
    assert "\r" not in err and "\x1b" not in err
    assert all(PHASE_LINE.match(line) for line in err.splitlines()), err
    assert [line.split(": ", 1)[1].split(" (")[0].rstrip("…") for line in err.splitlines()] == [
        "Đọc và kiểm tra hồ sơ", "Kiểm tra các hồ sơ với nhau", "Chuẩn bị ảnh", "Dựng khung trang bằng MkDocs",
        "Ghi trang và tệp dữ liệu", "Đưa trang mới vào thư mục"]


def test_json_output_stays_pure_json_and_nothing_goes_to_standard_error():
    for pty in (False, True):
        code, out, err = ocop("validate", "--root", REPO, "--as-of", AS_OF.isoformat(), "--format", "json", pty=pty)
        assert code == 0
        doc = json.loads(out)
        assert doc["errors"] == 0 and doc["files"] > 70
        assert err == ""


def test_labels_and_booklet_report_their_phases(tmp_path):
    code, out, err = ocop("labels", "--root", REPO, "--out", tmp_path / "labels", "--as-of", AS_OF.isoformat(),
                          "--province", "lai-chau", pty=True)
    assert code == 0, err
    drawn = bars(err)["ocop labels: Vẽ nhãn và tờ nhãn"]
    made = int(re.search(r"^(\d+) nhãn vào", out, re.M).group(1))
    assert drawn[-1] == (made + 1, made + 1)  # every label and the job drawing the A4 sheets
    code, out, err = ocop("booklet", "--root", REPO, "--out", tmp_path / "danh-muc.pdf", "--as-of", AS_OF.isoformat(),
                          "--province", "lai-chau")
    assert code == 0, err
    printed = int(re.search(r"Đã in (\d+) sản phẩm", out).group(1))
    assert err.splitlines()[-2:] == [f"ocop booklet: Dàn trang danh mục ({printed})…", f"ocop booklet: Ghi tệp PDF ({printed})…"]
    code, out, err = ocop("booklet", "--root", REPO, "--out", tmp_path / "b.pdf", "--as-of", AS_OF.isoformat(),
                          "--province", "lai-chau", pty=True)
    assert code == 0
    assert bars(err)["ocop booklet: Ghi tệp PDF"][-1] == (printed, printed)


class Recorder(Progress):
    """Keeps every phase and what was counted in it, with the process that counted."""

    def __init__(self) -> None:
        self.phases: list[list] = []  # [key, total, done, pids]

    def phase(self, key: str, total: int | None = None) -> Phase:
        entry = [key, total, 0, set()]
        self.phases.append(entry)

        class Step(Phase):
            def advance(self, n: int = 1) -> None:
                entry[2] += n
                entry[3].add(os.getpid())

        return Step()


def test_work_on_forked_workers_is_counted_here_as_each_share_comes_back():
    if parallel.cores() < 2:
        pytest.skip("one core: no workers")
    calls: list[tuple[int, int]] = []
    out = parallel.map_ordered(lambda n: (n * n, os.getpid()), list(range(1000)), parallel_from=0,
                               on_done=lambda n: calls.append((n, os.getpid())))
    assert [square for square, _ in out] == [n * n for n in range(1000)]
    assert {pid for _, pid in out} - {os.getpid()}  # really done elsewhere
    assert sum(n for n, _ in calls) == 1000 and len(calls) > parallel.cores()  # per share, not once at the end
    assert {pid for _, pid in calls} == {os.getpid()}  # counted in this process only
    seen: list[int] = []
    parallel.run_all([lambda: None] * 900, parallel_from=0, on_done=seen.append)
    assert sum(seen) == 900 and len(seen) > parallel.cores()


def test_a_build_counts_every_file_it_renders_cold_and_incremental(tmp_path):
    from catalog.site.build import build

    cold = Recorder()
    report = build(REPO, tmp_path / "site", AS_OF, progress=cold)
    keys = [key for key, *_ in cold.phases]
    assert keys == ["records", "rules", "photos", "frames", "pages", "swap"]
    for key, total, done, pids in cold.phases:
        if total is not None:
            assert done == total and pids == {os.getpid()}, key
    again = Recorder()
    report = build(REPO, tmp_path / "site", AS_OF, progress=again)
    assert report.rendered == 0
    assert [(key, total, done) for key, total, done, _ in again.phases if key in ("records", "pages")] == \
        [("records", RECORDS, RECORDS), ("pages", 0, 0)]
