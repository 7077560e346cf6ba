"""Benchmarks: `python -m policy_engine bench register --rows N` and `bench roadmap`.

A register as officials' files come (Windows-1251, `;`, decimal commas, thousands spaced with
spaces and no-break spaces, a few bad rows) is generated, then the whole import + LQ job is
timed against an idiomatic pandas implementation with the same semantics (pandas' fastest
reader, `read_csv(engine="pyarrow")`, and vectorized string cleaning and `groupby`).

Each side runs in its own fresh process with its libraries imported first and one warm-up run
not counted, so the medians are what a user waits after pressing upload in a running app, and
each peak memory figure belongs to one side only (the process's maximum resident set).
"""

from __future__ import annotations

import json
import multiprocessing
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from policy_engine.method.vocabulary import PARTICIPANT_ROLES

MUNICIPALITIES = [
    "Усть-Каменогорск",
    "Риддер",
    "Алтай",
    "Уланский район",
    "Глубоковский район",
    "Катон-Карагайский район",
    "Зайсанский район",
    "Курчумский район",
    "Шемонаихинский район",
    "Тарбагатайский район",
    "Самарский район",
    "Маркакольский район",
    "Большенарымский район",
    "Семей",
    "Курчатов",
    "Аягозский район",
    "Бескарагайский район",
    "Бородулихинский район",
    "Жарминский район",
    "Кокпектинский район",
    "Урджарский район",
    "Абайский район",
    "Жанасемейский район",
    "Аксуатский район",
]
NON_CREATIVE_CODES = [
    "01.11",
    "01.41",
    "07.29",
    "10.71",
    "24.44",
    "41.20",
    "45.20",
    "46.90",
    "47.11",
    "47.19",
    "49.41",
    "52.10",
    "55.10",
    "64.19",
    "68.20",
    "84.11",
    "85.31",
    "86.10",
    "96.02",
    "32.99",
]


def _spaced(n: int, rnd: random.Random) -> str:
    s = f"{n:,}"
    return s.replace(",", "\u00a0" if rnd.random() < 0.5 else " ")


def make_register(rows: int, path: Path, seed: int = 2025, bad_every: int = 1000) -> int:
    """Write a synthetic register; returns how many rows were made bad on purpose."""
    from policy_engine.method.catalogue import default_catalogue

    rnd = random.Random(seed)
    creative = [c.code for ind in default_catalogue().industries for c in ind.codes]
    creative += ["59.11.1", "62.01.9", "90.01.2"]  # sub-classes, mapped by longest match
    out = ["ОКВЭД;Муниципальное образование;Численность работников, чел.;Выручка, тыс. тенге"]
    bad = 0
    for i in range(rows):
        code = rnd.choice(creative) if rnd.random() < 0.2 else rnd.choice(NON_CREATIVE_CODES)
        emp = rnd.choice([rnd.randint(1, 30), rnd.randint(1, 30), rnd.randint(30, 5000)])
        emp_text = _spaced(emp, rnd) if rnd.random() < 0.9 else f"{emp},5"
        rev = rnd.randint(0, 50_000_000)
        line = f"{code};{rnd.choice(MUNICIPALITIES)};{emp_text};{_spaced(rev, rnd)},{rnd.randint(0, 9)}"
        if bad_every and i % bad_every == bad_every - 1:
            bad += 1
            line = rnd.choice(
                [
                    f";{MUNICIPALITIES[0]};5;1",
                    f"{code};;5;1",
                    f"{code};{MUNICIPALITIES[1]};н/д;1",
                    f"{code};{MUNICIPALITIES[2]};-3;1",
                ]
            )
        out.append(line)
    path.write_bytes(("\r\n".join(out) + "\r\n").encode("cp1251"))
    return bad


def ours(path: Path) -> tuple[int, int]:
    from policy_engine.diagnostics.location_quotients import location_quotients
    from policy_engine.diagnostics.register import read_register
    from policy_engine.method.catalogue import default_catalogue

    result = read_register(path, default_catalogue())
    cells = location_quotients(result.cells)
    return result.rows_used, len(cells)


def pandas_baseline(path: Path) -> tuple[int, int]:
    """The same job in idiomatic pandas: same column matching, cleaning, validation (with line
    numbers and reasons), longest-match mapping, aggregation and LQ. Given the encoding and
    delimiter that our import has to detect."""
    import numpy as np
    import pandas as pd

    from policy_engine.diagnostics.register import CODE_RE, NON_CREATIVE, crosswalk, industry_of, match_columns
    from policy_engine.method.catalogue import default_catalogue

    df = pd.read_csv(path, sep=";", encoding="cp1251", engine="pyarrow", dtype=str, keep_default_na=False)
    roles = match_columns(list(df.columns))
    cols = {role: df.columns[i] for role, i in roles.items()}
    code = df[cols["code"]].str.strip()
    muni = df[cols["municipality"]].str.strip()

    def number(s: pd.Series) -> pd.Series:
        cleaned = s.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace(",", ".", regex=False)
        return pd.to_numeric(cleaned, errors="coerce")

    emp = number(df[cols["employees"]])
    rev = number(df[cols["revenue"]]) if "revenue" in cols else None
    table = crosswalk(default_catalogue())
    uniq = pd.unique(code)
    lookup = {c: (industry_of(c, table) if c and CODE_RE.match(c) else None) for c in uniq}
    industry = code.map(lookup)
    ok = industry.notna() & muni.ne("") & emp.notna() & np.isfinite(emp) & emp.ge(0)
    bad = df.index[~ok]
    rejected = []
    for i in bad:  # the same reasons, row by row, as the engine gives
        problems = []
        if not code[i]:
            problems.append("empty activity code")
        elif industry[i] is None:
            problems.append(f"activity code {code[i]!r} is not a code like 59.11 or 32.99.8")
        if not muni[i]:
            problems.append("empty municipality")
        text = df[cols["employees"]][i].strip()
        if not text:
            problems.append("empty employees")
        elif pd.isna(emp[i]):
            problems.append(f"employees {text!r} is not a number")
        elif emp[i] < 0:
            problems.append(f"employees {text!r} is negative")
        rejected.append((int(i) + 2, "; ".join(problems)))
    good = pd.DataFrame({"m": muni[ok], "i": industry[ok], "e": emp[ok]})
    if rev is not None:
        good["r"] = rev[ok]
    g = good.groupby(["m", "i"], sort=False).agg(
        firms=("e", "size"), employees=("e", "sum"), **({"revenue": ("r", "sum")} if rev is not None else {})
    )
    g = g.reset_index()
    e = g["employees"].sum()
    e_m = g.groupby("m")["employees"].transform("sum")
    e_i = g.groupby("i")["employees"].transform("sum")
    g["lq"] = (g["employees"] / e_m) / (e_i / e)
    g = g[g["i"] != NON_CREATIVE]
    return int(ok.sum()), len(g)


def _child(side: str, path: str, runs: int, queue) -> None:
    """Run one side in this fresh process: import, warm up once, then time `runs` runs."""
    func = ours if side == "ours" else pandas_baseline
    if side == "pandas":
        import pandas  # noqa: F401  (imported before timing, as in a running app)
    import polars  # noqa: F401
    import pyarrow.csv  # noqa: F401

    result = func(Path(path))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        again = func(Path(path))
        times.append(time.perf_counter() - t0)
        assert again == result
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"times": times, "peak_mb": peak_mb, "result": list(result)})


def _in_fresh_process(label: str, target, *args):
    """Run `target(*args, queue)` in a new (spawned) process and return what it puts on the queue."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    while True:
        try:
            out = queue.get(timeout=1)
            break
        except Exception:  # queue.Empty: still working, unless the child died
            if not proc.is_alive():
                raise RuntimeError(f"the {label} benchmark process failed (exit code {proc.exitcode})") from None
    proc.join()
    return out


def _measure(side: str, path: Path, runs: int) -> dict:
    return _in_fresh_process(side, _child, side, str(path), runs)


def bench_register(rows: int, runs: int = 7, progress=None) -> dict:
    """Time our import + LQ and the pandas baseline on the same generated file."""
    say = progress or (lambda msg: None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        say(f"generating a register of {rows:,} rows (Windows-1251, ';', decimal commas, spaced thousands)")
        make_register(rows, path)
        say(f"file: {path.stat().st_size / 1e6:.1f} MB; timing ours ({runs} runs after a warm-up)")
        mine = _measure("ours", path, runs)
        say("timing the pandas baseline")
        base = _measure("pandas", path, runs)
    if mine["result"] != base["result"]:
        raise AssertionError(f"ours and pandas disagree: {mine['result']} vs {base['result']}")
    median, base_median = statistics.median(mine["times"]), statistics.median(base["times"])
    return {
        "name": "register",
        "rows": rows,
        "runs": runs,
        "median_s": round(median, 4),
        "baseline_median_s": round(base_median, 4),
        "ratio": round(base_median / median, 2),
        "peak_mb": round(mine["peak_mb"], 1),
        "baseline_peak_mb": round(base["peak_mb"], 1),
        "rows_used": mine["result"][0],
        "cells": mine["result"][1],
    }


def main_register(rows: int, runs: int, fmt: str) -> int:
    result = bench_register(rows, runs, progress=lambda m: print(m, file=sys.stderr, flush=True))
    if fmt == "json":
        print(json.dumps(result))
    else:
        print(
            f"register import + LQ, {rows:,} rows: median {result['median_s']:.3f} s "
            f"(pandas baseline {result['baseline_median_s']:.3f} s, {result['ratio']:.1f}x), "
            f"peak {result['peak_mb']:.0f} MB (pandas {result['baseline_peak_mb']:.0f} MB)"
        )
    return 0


def _roadmap_child(runs: int, queue) -> None:
    """In a fresh process: start the chart worker, warm up once per project, then time `runs` builds."""
    from policy_engine.documents.figures import start_worker, stop_worker
    from policy_engine.documents.publish import publish
    from policy_engine.method.catalogue import default_catalogue
    from policy_engine.project.sample import load_sample
    from policy_engine.project.synthetic import large_project

    cat = default_catalogue()
    start_worker()
    cases = [("sample east-kazakhstan", load_sample("east-kazakhstan")), ("generated large", large_project(cat))]
    out = []
    for name, project in cases:
        first = publish(project, cat, "ru", docx=False)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            files = publish(project, cat, "ru", docx=False)
            times.append(time.perf_counter() - t0)
            assert files.pages == first.pages
        out.append(
            {
                "name": name,
                "runs": runs,
                "median_s": round(statistics.median(times), 3),
                "min_s": round(min(times), 3),
                "max_s": round(max(times), 3),
                "pages": first.pages,
                "elements": len(project.identity_elements),
                "pilots": len(project.pilots),
                "kpis": len(project.kpis),
            }
        )
    stop_worker()  # a worker left running would block this process's exit (multiprocessing joins children first)
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    for row in out:  # this process plus the chart worker (its peak, once it has exited)
        row["peak_mb"] = round(self_mb + worker_mb, 1)
    queue.put(out)


def bench_roadmap(runs: int = 7) -> list[dict]:
    """PDF roadmap of the sample and of a generated large project (60 elements, 16 industries,
    8 clusters, 40 pilots, 30 KPIs x 5 years): median seconds from project to PDF bytes."""
    return _in_fresh_process("roadmap", _roadmap_child, runs)


def main_roadmap(runs: int, fmt: str) -> int:
    print(f"timing the roadmap PDF ({runs} runs after a warm-up, fresh process)", file=sys.stderr, flush=True)
    rows = bench_roadmap(runs)
    if fmt == "json":
        print(json.dumps(rows))
    else:
        for r in rows:
            print(
                f"roadmap PDF, {r['name']}: median {r['median_s']:.3f} s (min {r['min_s']:.3f}, max {r['max_s']:.3f}), "
                f"{r['pages']} pages, peak {r['peak_mb']:.0f} MB"
            )
    return 0


# --- hostile uploads ------------------------------------------------------------------------------
# `python -m policy_engine bench upload`: each file that took the server down in the safety probe
# (issue 13), built here small on disk, is read the way the app reads an upload, in a fresh process;
# the bar is each refused within 2 s and under 500 MB peak (this process plus the reader's child).
# A CSV of a million bad rows is no bomb to refuse: it is read, its rows rejected and counted, within
# the same bar. The baseline is a legitimate 1,000-row workbook read the same way in the same run.

UPLOAD_BAR_S, UPLOAD_BAR_MB = 2.0, 500.0
_SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'
)


def zip_parts(parts: dict) -> bytes:
    """A ZIP of the given parts; a (chunk, times) part is written as a stream, costing no memory."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            with z.open(name, "w", force_zip64=True) as out:
                if isinstance(content, tuple):
                    chunk, times = content
                    for _ in range(times):
                        out.write(chunk)
                else:
                    out.write(content)
    return buf.getvalue()


def workbook(cells: list[tuple[str, object]], rows: int = 0) -> bytes:
    """A real workbook (openpyxl, the test requirements) with a header, `rows` register rows and `cells`."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Код ОКВЭД", "Район", "Численность"])
    rnd = random.Random(7)
    for _ in range(rows):
        ws.append([rnd.choice(NON_CREATIVE_CODES + ["59.11", "90.01"]), rnd.choice(MUNICIPALITIES), rnd.randint(1, 50)])
    for ref, value in cells:
        ws[ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bad_rows_csv(rows: int = 1_000_000) -> bytes:
    """A register CSV whose every row is rejected, each for a reason of its own by turns: no activity
    code, employees not a number (a different text each time, so none is parsed twice), no municipality,
    a code that is not a code. About 38 MB for a million rows."""
    kinds = (";{m};{i}\n", "59.11;{m};x{i}\n", "90.01;;{i}\n", "кино;{m};{i}\n")
    out = bytearray("ОКВЭД;Район;Численность\n".encode())
    for start in range(0, rows, 10_000):  # a chunk at a time: this process's peak stays small
        stop = min(rows, start + 10_000)
        out += "".join(kinds[i % 4].format(m=MUNICIPALITIES[i % 24], i=i) for i in range(start, stop)).encode()
    return bytes(out)


def hostile_uploads() -> list[tuple[str, str, bytes | None]]:
    """(name, what it is, bytes) of each bomb; bytes None means the path /dev/zero (the CLI's case).
    The workbooks are refused; the CSV of bad rows is read, every row rejected and counted."""
    # rows with no `r` attribute, as some writers make them: nothing to read their number from
    many_rows = (_SHEET.split("{}")[0].encode() + b"<row><c><v>1</v></c></row>" * 1000, 16_200)  # 16.2 M rows
    return [
        (
            "far cell XFD1048576",
            "one cell in the last column and row (the reader asked for 512 GiB)",
            workbook([("XFD1048576", 1)]),
        ),
        ("far cell ZZ100000", "one cell at ZZ100000 (2.5 GB in the reader)", workbook([("ZZ100000", 1)])),
        (
            "1 GiB shared string",
            "one shared string of 1 GiB in a small ZIP",
            zip_parts(
                {
                    "xl/worksheets/sheet1.xml": _SHEET.format('<row r="1"><c r="A1" t="s"><v>0</v></c></row>').encode(),
                    "xl/sharedStrings.xml": (b"a" * (1 << 20), 1024),
                }
            ),
        ),
        (
            "16.2 M rows",
            "a sheet of 16,200,000 rows without row numbers",
            zip_parts({"xl/worksheets/sheet1.xml": many_rows}),
        ),
        (
            "1 GiB sheet part",
            "a sheet part that inflates to 1 GiB of spaces",
            zip_parts({"xl/worksheets/sheet1.xml": (b" " * (1 << 20), 1024)}),
        ),
        ("/dev/zero", "a path that never ends (the command line)", None),
        ("1,000,000 bad rows (CSV)", "a register CSV none of whose 1,000,000 rows can be used", bad_rows_csv()),
    ]


def _is_csv(raw: bytes | None) -> bool:
    return raw is not None and raw[:2] != b"PK"


def _own_peak_mb() -> float:
    """This process's peak resident set since it started (`VmHWM`). Not `ru_maxrss`: on Linux a process
    started by fork and exec inherits its parent's peak there, so each fresh process would report at least
    the peak of the process that built the files."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _upload_child(raw: bytes | None, runs: int, queue) -> None:
    from policy_engine.diagnostics.register import RegisterError, read_register
    from policy_engine.method.catalogue import default_catalogue

    cat = default_catalogue()
    source = "/dev/zero" if raw is None else raw
    times, outcome = [], ""
    for _ in range(runs):
        t0 = time.perf_counter()
        try:
            result = read_register(source, cat, name="upload.csv" if _is_csv(raw) else "upload.xlsx")
            outcome = f"read: {sum(c.firms for c in result.cells):,} firms"
            if result.rejected_count:
                outcome += f", {result.rejected_count:,} rejected"
        except RegisterError as exc:
            outcome = exc.code
        times.append(time.perf_counter() - t0)
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    queue.put({"times": times, "outcome": outcome, "peak_mb": _own_peak_mb() + child_mb})


def bench_upload(runs: int = 3, progress=None) -> list[dict]:
    say = progress or (lambda msg: None)
    out = []
    cases = [("baseline: 1,000-row workbook", "a legitimate register", workbook([], rows=1000))] + hostile_uploads()
    for name, what, raw in cases:
        say(f"{name}: {what}")
        got = _in_fresh_process(name, _upload_child, raw, runs)
        median = statistics.median(got["times"])
        bomb = not name.startswith("baseline")
        out.append(
            {
                "name": name,
                "bytes": None if raw is None else len(raw),
                "outcome": got["outcome"],
                "median_s": round(median, 3),
                "max_s": round(max(got["times"]), 3),
                "peak_mb": round(got["peak_mb"], 1),
                "bomb": bomb,
                "ok": (not bomb)
                or (
                    got["outcome"] != ""
                    and got["outcome"].startswith("read") == _is_csv(raw)  # a CSV is read, a bomb refused
                    and max(got["times"]) < UPLOAD_BAR_S
                    and got["peak_mb"] < UPLOAD_BAR_MB
                ),
            }
        )
    return out


def main_upload(runs: int, fmt: str) -> int:
    rows = bench_upload(runs, progress=lambda m: print(m, file=sys.stderr, flush=True))
    if fmt == "json":
        print(json.dumps(rows))
    else:
        print(
            f"bar: each bomb refused within {UPLOAD_BAR_S:g} s and under {UPLOAD_BAR_MB:g} MB "
            f"(fresh process each, {runs} runs, peak = this process + the reader's)"
        )
        for r in rows:
            size = "path" if r["bytes"] is None else f"{r['bytes']:,} B"
            mark = "" if not r["bomb"] else ("  ok" if r["ok"] else "  FAIL")
            print(
                f"{r['name']:<30} {size:>12}  {r['outcome']:<22} median {r['median_s']:.3f} s "
                f"(max {r['max_s']:.3f}), peak {r['peak_mb']:.0f} MB{mark}"
            )
    return 0 if all(r["ok"] for r in rows) else 1


# --- workshop: N phones against the real server -------------------------------------------------------

WORKSHOP_BAR_P95_MS = 200.0
WORKSHOP_BAR_BOARD_MS = 500.0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(database_url: str, data_dir: Path, port: int):
    """The app as `scripts/app.sh` runs it (server.py: Streamlit and the participants' routes), on `port`."""
    import os
    import subprocess
    import urllib.request

    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, DATABASE_URL=database_url, GENIUS_LOCI_DATA=str(data_dir))
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115  (closed with the process by the caller)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "server.py",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.port",
            str(port),
            "--server.fileWatcherType",
            "none",
            "--logger.level",
            "warning",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}; see {data_dir / 'server.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return proc, log
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start within 60 s")


THINK_S = (1.0, 4.0)  # a person reads, then taps: seconds before each step at room pace
POLL_S = 4.0  # the phone page asks for the state this often (policy_engine/phone.html)


def _expected_ballot(i: int) -> dict[str, int]:
    return {"uniqueness": 1 + i % 5, "recognition": 1 + (i + 1) % 5, "vitality": 1 + (i + 2) % 5}


async def _phones(
    base: str, code: str, participants: int, question_id: int, items: list[str], tag: str, think=None
) -> dict:
    """N phones at once, each the way the page does it: the code → the link, join, the state, a ballot,
    the ballot changed. With `think` (seconds, low–high) each step waits as a person would and the phone
    asks for the state every POLL_S seconds meanwhile, as the page does; without it every phone fires
    each step as soon as the last one answered (a burst). Returns the latencies and the failures.

    The phones are aiohttp sessions (each its own cookie jar) over one connection pool: the client shares
    this machine's two cores with the server, and httpx spent ~6.7 ms of CPU per request here (750
    requests for 150 phones: 5 s of CPU, more than the server's 1.5 s), which the latency then measured."""
    import asyncio

    import aiohttp

    submits: list[float] = []
    polls: list[float] = []
    failures: list[str] = []
    connector = aiohttp.TCPConnector(limit=participants)
    timeout = aiohttp.ClientTimeout(total=60)

    async def pause(rnd: random.Random) -> None:
        if think:
            await asyncio.sleep(rnd.uniform(*think))

    async def poll(c, link: str, rnd: random.Random) -> None:
        while True:
            await asyncio.sleep(POLL_S * rnd.uniform(0.9, 1.1))
            start = time.perf_counter()
            async with c.get(f"/api/ws/{link}/state") as r:
                await r.read()
                polls.append((time.perf_counter() - start) * 1000)

    async def phone(i: int) -> None:
        rnd = random.Random(i)
        item = items[i % len(items)]
        jar = aiohttp.CookieJar(unsafe=True)  # the server is 127.0.0.1: an IP address, not a domain
        async with aiohttp.ClientSession(
            base, connector=connector, connector_owner=False, cookie_jar=jar, timeout=timeout
        ) as c:
            await pause(rnd)
            async with c.post("/api/ws/code", json={"code": code}) as r:
                if r.status != 200:
                    failures.append(f"code {r.status}")
                    return
                link = (await r.json())["link"]
            await pause(rnd)
            async with c.post(
                f"/api/ws/{link}/join", json={"name": f"{tag}{i}", "role": PARTICIPANT_ROLES[i % 5]}
            ) as r:
                if r.status != 200:
                    failures.append(f"join {r.status}")
                    return
            async with c.get(f"/api/ws/{link}/state") as r:
                if r.status != 200 or (await r.json())["question"]["id"] != question_id:
                    failures.append(f"state {r.status}")
                    return
            poller = asyncio.create_task(poll(c, link, rnd)) if think else None
            try:
                for vitality in (1 + i % 5, 1 + (i + 2) % 5):  # a ballot, then changed
                    await pause(rnd)
                    values = {item: {**_expected_ballot(i), "vitality": vitality}}
                    start = time.perf_counter()
                    async with c.post(f"/api/ws/{link}/ballot", json={"question": question_id, "values": values}) as r:
                        await r.read()
                        submits.append((time.perf_counter() - start) * 1000)
                        if r.status != 200:
                            failures.append(f"ballot {r.status}")
            finally:
                if poller:
                    poller.cancel()

    try:
        await asyncio.gather(*(phone(i) for i in range(participants)))
    finally:
        await connector.close()
    return {"submits": submits, "polls": polls, "failures": failures}


def _in_own_loop(coroutine):
    """Run `coroutine` on a new event loop in a thread of its own: the caller may already be inside one
    (a test run after Playwright's or Streamlit's), where `asyncio.run` refuses to start."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    """(median, 95th percentile, maximum) in ms, rounded."""
    if not values:
        return float("nan"), float("nan"), float("nan")
    ordered = sorted(values)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return round(statistics.median(ordered), 1), round(p95, 1), round(ordered[-1], 1)


def bench_workshop(participants: int, database_url: str | None = None, progress=None) -> dict:
    """Start the real server on the configured database (DATABASE_URL, or a fresh SQLite file), open a
    `rate` question on the sample and drive `participants` phones over HTTP concurrently: first at room
    pace (THINK_S between steps, the state polled every POLL_S; the bar's figures), then, on a second
    question, in a burst (every phone at once, no pause)."""
    import tempfile
    import uuid

    from policy_engine.documents import charts
    from policy_engine.project.sample import load_sample
    from policy_engine.store.database import Store
    from policy_engine.store.workshops import WorkshopStore
    from policy_engine.workshop import board
    from policy_engine.workshop.questions import items_for

    say = progress or (lambda _m: None)
    runs = {}
    with tempfile.TemporaryDirectory(prefix="gl-bench-workshop-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = Store(url)
        rooms = WorkshopStore(store)
        project = load_sample("east-kazakhstan").model_copy(update={"id": f"bench-{uuid.uuid4().hex[:8]}"})
        store.create(project, author="bench")
        workshop = rooms.create(project.id, "Benchmark")
        items, _ = items_for(project, store.catalogue, "rate")
        port = _free_port()
        say(f"starting the server on port {port} ({store.dialect})")
        proc, log = _start_server(url, Path(tmp), port)
        try:
            for tag, think in (("room", THINK_S), ("burst", None)):
                question = rooms.add_question(workshop.id, "rate", tag, items)
                rooms.open_question(question.id)
                rooms.reveal(question.id)
                say(f"{participants} phones, {tag}: code, join, state, ballot, changed ballot")
                started = time.perf_counter()
                out = _in_own_loop(
                    _phones(
                        f"http://127.0.0.1:{port}",
                        workshop.code,
                        participants,
                        question.id,
                        [i.id for i in items],
                        tag,
                        think,
                    )
                )
                runs[tag] = (question, out, time.perf_counter() - started)
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except Exception:  # noqa: BLE001
                proc.kill()
            log.close()
        names = _participant_names(store, workshop.id)
        row: dict = {"database": store.dialect, "participants": participants, "ballots_expected": participants}
        for tag, (question, out, wall) in runs.items():
            ballots = rooms.ballots(question.id)
            exact = sum(
                1
                for b in ballots
                if names[b.participant].startswith(tag)
                and b.value == _expected_ballot(int(names[b.participant][len(tag) :]))
            )
            p50, p95, top = _percentiles(out["submits"])
            prefix = "" if tag == "room" else "burst_"
            row |= {
                f"{prefix}ballots_stored": len(ballots),
                f"{prefix}ballots_exact": exact,
                f"{prefix}failures": len(out["failures"]),
                f"{prefix}p50_ms": p50,
                f"{prefix}p95_ms": p95,
                f"{prefix}max_ms": top,
                f"{prefix}wall_s": round(wall, 2),
            }
            if tag == "room":
                row["state_poll_p95_ms"] = _percentiles(out["polls"])[1]
                row["failure_examples"] = out["failures"][:5]
        question = runs["room"][0]
        board_ms = []
        for _ in range(5):  # the board's rerun: ballots → tally → chart rows → the charts' specs
            start = time.perf_counter()
            shown, result = rooms.result(question.id)
            labels = board.chart_labels(shown, "ru")
            charts.workshop_results(
                board.result_rows(shown, result, "ru"), labels, board.SCALES.get(shown.kind)
            ).to_dict()
            charts.workshop_roles(board.role_rows(shown, result, "ru"), labels).to_dict()
            rooms.board(workshop.id)
            board_ms.append((time.perf_counter() - start) * 1000)
        row["board_refresh_ms"] = round(statistics.median(board_ms), 1)
        store.close()
    return row


def _participant_names(store, workshop_id: int) -> dict[int, str]:
    from sqlmodel import Session, select

    from policy_engine.store.workshops import ParticipantRecord

    with Session(store.engine) as s:
        return dict(
            s.exec(
                select(ParticipantRecord.id, ParticipantRecord.name).where(ParticipantRecord.workshop_id == workshop_id)
            ).all()
        )


def main_workshop(participants: int, fmt: str) -> int:
    import os

    row = bench_workshop(participants, os.environ.get("DATABASE_URL"), progress=lambda m: print(m, file=sys.stderr))
    ok = (
        row["ballots_stored"] == row["ballots_expected"] == row["ballots_exact"]
        and row["burst_ballots_stored"] == row["ballots_expected"] == row["burst_ballots_exact"]
        and row["failures"] == row["burst_failures"] == 0
        and row["p95_ms"] < WORKSHOP_BAR_P95_MS
        and row["board_refresh_ms"] < WORKSHOP_BAR_BOARD_MS
    )
    row["ok"] = ok
    if fmt == "json":
        print(json.dumps(row))
    else:
        print(
            f"bar: every ballot stored exactly once, p95 submit < {WORKSHOP_BAR_P95_MS:g} ms, "
            f"board refresh < {WORKSHOP_BAR_BOARD_MS:g} ms"
        )
        for k, v in row.items():
            print(f"{k:<18} {v}")
    return 0 if ok else 1
