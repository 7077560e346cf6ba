"""Benchmarks: `python -m policy_engine bench register --rows N`, `bench roadmap` and `bench fns --documents N`
(the FNS SME register: its section below).

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
    # this process's own peak (VmHWM): its ru_maxrss would start from the peak of the process that built the file
    queue.put({"times": times, "peak_mb": _own_peak_mb(), "result": list(result)})


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


# --- the FNS SME register -------------------------------------------------------------------------
# `python -m policy_engine bench fns --documents N`: a generated FNS SME register ZIP (members of 900
# one-line `Документ` elements of ~1 KB each, as FNS ships them) and its head-count ZIP are read the way
# the app reads them (registers.read_registers with the region filter on, then location_quotients), and
# against them a plain lxml.etree.iterparse loop over the same members reads the same fields, filters the
# region in Python after parsing and joins by INN in a dict. The two must agree (documents of the region,
# organisations with a head count, firms and employees by municipality × industry, LQ cells), and agree
# with what the generator made, or the run fails.
#
# Each side runs `--runs` times (1 by default) in a fresh spawned process with its libraries imported and
# the catalogue loaded first, and with no warm-up run: at a million documents a warm-up would double the
# wait, and a reader that goes member by member has nothing to warm beyond its imports. Peak memory is
# that side's process's own peak resident set (VmHWM; `_own_peak_mb`).

FNS_REGION = "59"  # Perm krai: about 3% of the generated documents
FNS_BAR_RATIO, FNS_BAR_MB, FNS_GOAL_DOCS_S = 3.0, 1500.0, 100_000  # >= 3x the lxml loop and < 1.5 GB
FNS_MEMBER_DOCS = 900  # documents per XML file, as FNS ships them
_ZIP_TIME = (2026, 6, 10, 0, 0, 0)  # every member's date: the same seed gives the same bytes

# КодРегион|Регион/@Тип|Регион/@Наим of the 85 regions the register uses; then each region's share of
# the documents in percent (the rest spread evenly): Moscow, St Petersburg, Moscow oblast, Krasnodar, Perm.
_FNS_REGIONS = [
    tuple(line.split("|"))
    for line in """01|РЕСПУБЛИКА|АДЫГЕЯ
02|РЕСПУБЛИКА|БАШКОРТОСТАН
03|РЕСПУБЛИКА|БУРЯТИЯ
04|РЕСПУБЛИКА|АЛТАЙ
05|РЕСПУБЛИКА|ДАГЕСТАН
06|РЕСПУБЛИКА|ИНГУШЕТИЯ
07|РЕСПУБЛИКА|КАБАРДИНО-БАЛКАРСКАЯ
08|РЕСПУБЛИКА|КАЛМЫКИЯ
09|РЕСПУБЛИКА|КАРАЧАЕВО-ЧЕРКЕССКАЯ
10|РЕСПУБЛИКА|КАРЕЛИЯ
11|РЕСПУБЛИКА|КОМИ
12|РЕСПУБЛИКА|МАРИЙ ЭЛ
13|РЕСПУБЛИКА|МОРДОВИЯ
14|РЕСПУБЛИКА|САХА /ЯКУТИЯ/
15|РЕСПУБЛИКА|СЕВЕРНАЯ ОСЕТИЯ - АЛАНИЯ
16|РЕСПУБЛИКА|ТАТАРСТАН
17|РЕСПУБЛИКА|ТЫВА
18|РЕСПУБЛИКА|УДМУРТСКАЯ
19|РЕСПУБЛИКА|ХАКАСИЯ
20|РЕСПУБЛИКА|ЧЕЧЕНСКАЯ
21|РЕСПУБЛИКА|ЧУВАШСКАЯ РЕСПУБЛИКА - ЧУВАШИЯ
22|КРАЙ|АЛТАЙСКИЙ
23|КРАЙ|КРАСНОДАРСКИЙ
24|КРАЙ|КРАСНОЯРСКИЙ
25|КРАЙ|ПРИМОРСКИЙ
26|КРАЙ|СТАВРОПОЛЬСКИЙ
27|КРАЙ|ХАБАРОВСКИЙ
28|ОБЛАСТЬ|АМУРСКАЯ
29|ОБЛАСТЬ|АРХАНГЕЛЬСКАЯ
30|ОБЛАСТЬ|АСТРАХАНСКАЯ
31|ОБЛАСТЬ|БЕЛГОРОДСКАЯ
32|ОБЛАСТЬ|БРЯНСКАЯ
33|ОБЛАСТЬ|ВЛАДИМИРСКАЯ
34|ОБЛАСТЬ|ВОЛГОГРАДСКАЯ
35|ОБЛАСТЬ|ВОЛОГОДСКАЯ
36|ОБЛАСТЬ|ВОРОНЕЖСКАЯ
37|ОБЛАСТЬ|ИВАНОВСКАЯ
38|ОБЛАСТЬ|ИРКУТСКАЯ
39|ОБЛАСТЬ|КАЛИНИНГРАДСКАЯ
40|ОБЛАСТЬ|КАЛУЖСКАЯ
41|КРАЙ|КАМЧАТСКИЙ
42|ОБЛАСТЬ|КЕМЕРОВСКАЯ ОБЛАСТЬ - КУЗБАСС
43|ОБЛАСТЬ|КИРОВСКАЯ
44|ОБЛАСТЬ|КОСТРОМСКАЯ
45|ОБЛАСТЬ|КУРГАНСКАЯ
46|ОБЛАСТЬ|КУРСКАЯ
47|ОБЛАСТЬ|ЛЕНИНГРАДСКАЯ
48|ОБЛАСТЬ|ЛИПЕЦКАЯ
49|ОБЛАСТЬ|МАГАДАНСКАЯ
50|ОБЛАСТЬ|МОСКОВСКАЯ
51|ОБЛАСТЬ|МУРМАНСКАЯ
52|ОБЛАСТЬ|НИЖЕГОРОДСКАЯ
53|ОБЛАСТЬ|НОВГОРОДСКАЯ
54|ОБЛАСТЬ|НОВОСИБИРСКАЯ
55|ОБЛАСТЬ|ОМСКАЯ
56|ОБЛАСТЬ|ОРЕНБУРГСКАЯ
57|ОБЛАСТЬ|ОРЛОВСКАЯ
58|ОБЛАСТЬ|ПЕНЗЕНСКАЯ
59|КРАЙ|ПЕРМСКИЙ
60|ОБЛАСТЬ|ПСКОВСКАЯ
61|ОБЛАСТЬ|РОСТОВСКАЯ
62|ОБЛАСТЬ|РЯЗАНСКАЯ
63|ОБЛАСТЬ|САМАРСКАЯ
64|ОБЛАСТЬ|САРАТОВСКАЯ
65|ОБЛАСТЬ|САХАЛИНСКАЯ
66|ОБЛАСТЬ|СВЕРДЛОВСКАЯ
67|ОБЛАСТЬ|СМОЛЕНСКАЯ
68|ОБЛАСТЬ|ТАМБОВСКАЯ
69|ОБЛАСТЬ|ТВЕРСКАЯ
70|ОБЛАСТЬ|ТОМСКАЯ
71|ОБЛАСТЬ|ТУЛЬСКАЯ
72|ОБЛАСТЬ|ТЮМЕНСКАЯ
73|ОБЛАСТЬ|УЛЬЯНОВСКАЯ
74|ОБЛАСТЬ|ЧЕЛЯБИНСКАЯ
75|КРАЙ|ЗАБАЙКАЛЬСКИЙ
76|ОБЛАСТЬ|ЯРОСЛАВСКАЯ
77|ГОРОД|МОСКВА
78|ГОРОД|САНКТ-ПЕТЕРБУРГ
79|АВТОНОМНАЯ ОБЛАСТЬ|ЕВРЕЙСКАЯ
83|АВТОНОМНЫЙ ОКРУГ|НЕНЕЦКИЙ
86|АВТОНОМНЫЙ ОКРУГ|ХАНТЫ-МАНСИЙСКИЙ АВТОНОМНЫЙ ОКРУГ - ЮГРА
87|АВТОНОМНЫЙ ОКРУГ|ЧУКОТСКИЙ
89|АВТОНОМНЫЙ ОКРУГ|ЯМАЛО-НЕНЕЦКИЙ
91|РЕСПУБЛИКА|КРЫМ
92|ГОРОД|СЕВАСТОПОЛЬ""".splitlines()
]
_FNS_SHARES = {"77": 10.0, "78": 6.0, "50": 6.0, "23": 5.0, FNS_REGION: 3.0}

# Places as FNS writes them: Perm krai's districts and cities (the region the benchmark reads), and the
# same stock of names for every other region; settlements of a district. Upper case mostly, as FNS
# writes them, and mixed case now and then (one municipality either way: territories.name_key).
_PERM_DISTRICTS = """КРАСНОКАМСКИЙ ПЕРМСКИЙ КУНГУРСКИЙ ЛЫСЬВЕНСКИЙ ДОБРЯНСКИЙ ОСИНСКИЙ ОХАНСКИЙ ОЧЕРСКИЙ
НЫТВЕНСКИЙ ВЕРЕЩАГИНСКИЙ ИЛЬИНСКИЙ КАРАГАЙСКИЙ СИВИНСКИЙ КУДЫМКАРСКИЙ ЮСЬВИНСКИЙ ГАЙНСКИЙ КОЧЕВСКИЙ
КОСИНСКИЙ ЧЕРДЫНСКИЙ КРАСНОВИШЕРСКИЙ СОЛИКАМСКИЙ ГОРНОЗАВОДСКИЙ СУКСУНСКИЙ КИШЕРТСКИЙ УИНСКИЙ ОКТЯБРЬСКИЙ
ОРДИНСКИЙ БАРДЫМСКИЙ ЕЛОВСКИЙ КУЕДИНСКИЙ ЧЕРНУШИНСКИЙ БОЛЬШЕСОСНОВСКИЙ ЧАСТИНСКИЙ""".split()
_PERM_CITIES = "ПЕРМЬ БЕРЕЗНИКИ СОЛИКАМСК КУНГУР ЛЫСЬВА КРАСНОКАМСК ЧУСОВОЙ ДОБРЯНКА ЧАЙКОВСКИЙ КУДЫМКАР".split()
_OTHER_DISTRICTS = """ЦЕНТРАЛЬНЫЙ ЗАРЕЧНЫЙ СОВЕТСКИЙ ПЕРВОМАЙСКИЙ ЛЕНИНСКИЙ КИРОВСКИЙ ПРИВОЛЖСКИЙ ЗАВОДСКОЙ
СЕВЕРНЫЙ ЮЖНЫЙ ПРИГОРОДНЫЙ ЛЕСНОЙ ОЗЕРНЫЙ ПОДГОРНЫЙ НОВОСЕЛОВСКИЙ КРАСНОАРМЕЙСКИЙ""".split()
_OTHER_CITIES = """ЗАРЕЧНЫЙ НОВОГОРСК КРАСНОГОРСК ЛЕСНОЙ ОЗЕРСК СОСНОВЫЙ БОР ПРИМОРСК СОВЕТСК ГОРНЫЙ
БЕРЕЗОВСКИЙ""".split()
_SETTLEMENTS = [
    ("ПОСЕЛОК", "ОВЕРЯТА"),
    ("СЕЛО", "ФРОЛЫ"),
    ("ДЕРЕВНЯ", "ГАМОВО"),
    ("РАБОЧИЙ ПОСЕЛОК", "ПОЛАЗНА"),
    ("СЕЛО", "КУЯЧИ"),
    ("ПОСЕЛОК", "НОВЫЙ"),
]
_OKVED_CREATIVE = {
    "59.11": "Производство кинофильмов, видеофильмов и телевизионных программ",
    "59.14": "Деятельность в области демонстрации кинофильмов",
    "59.20": "Деятельность в области звукозаписи и издания музыкальных произведений",
    "90.01": "Деятельность в области исполнительских искусств",
    "90.03": "Деятельность в области художественного творчества",
    "32.99.8": "Производство изделий народных художественных промыслов",
    "62.01": "Разработка компьютерного программного обеспечения",
    "62.02": "Деятельность консультативная и работы в области компьютерных технологий",
    "73.11": "Деятельность рекламных агентств",
    "74.10": "Деятельность специализированная в области дизайна",
    "74.20": "Деятельность в области фотографии",
    "56.10": "Деятельность ресторанов и услуги по доставке продуктов питания",
    "58.11": "Издание книг",
    "71.11": "Деятельность в области архитектуры",
    "93.29": "Деятельность зрелищно-развлекательная прочая",
    "14.13": "Производство прочей верхней одежды",
}
_OKVED_OTHER = {
    "47.11": "Торговля розничная преимущественно пищевыми продуктами, включая напитки, и табачными изделиями",
    "47.19": "Торговля розничная прочая в неспециализированных магазинах",
    "47.91": "Торговля розничная по почте или по информационно-коммуникационной сети Интернет",
    "49.41": "Деятельность автомобильного грузового транспорта",
    "49.32": "Деятельность легкового такси и арендованных легковых автомобилей с водителем",
    "41.20": "Строительство жилых и нежилых зданий",
    "43.21": "Производство электромонтажных работ",
    "45.20": "Техническое обслуживание и ремонт автотранспортных средств",
    "46.90": "Торговля оптовая неспециализированная",
    "68.20": "Аренда и управление собственным или арендованным недвижимым имуществом",
    "01.11": "Выращивание зерновых (кроме риса), зернобобовых культур и семян масличных культур",
    "01.41": "Разведение молочного крупного рогатого скота, производство сырого молока",
    "10.71": "Производство хлеба и мучных кондитерских изделий, тортов и пирожных недлительного хранения",
    "52.29": "Деятельность вспомогательная прочая, связанная с перевозками",
    "55.10": "Деятельность гостиниц и прочих мест для временного проживания",
    "69.10": "Деятельность в области права",
    "70.22": "Консультирование по вопросам коммерческой деятельности и управления",
    "85.41": "Образование дополнительное детей и взрослых",
    "86.23": "Стоматологическая практика",
    "96.02": "Предоставление услуг парикмахерскими и салонами красоты",
    "32.99": "Производство прочих готовых изделий, не включенных в другие группировки",
}
_SURNAMES = "ИВАНОВ СМИРНОВ КУЗНЕЦОВ ПОПОВ ВАСИЛЬЕВ ПЕТРОВ СОКОЛОВ МИХАЙЛОВ НОВИКОВ ФЕДОРОВ МОРОЗОВ ВОЛКОВ".split()
_MALE = [("АЛЕКСАНДР", "СЕРГЕЕВИЧ"), ("СЕРГЕЙ", "ИВАНОВИЧ"), ("ДМИТРИЙ", "ПЕТРОВИЧ"), ("АНДРЕЙ", "НИКОЛАЕВИЧ")]
_FEMALE = [("ЕЛЕНА", "ВИКТОРОВНА"), ("ОЛЬГА", "АЛЕКСАНДРОВНА"), ("НАТАЛЬЯ", "ЮРЬЕВНА"), ("АННА", "ПЕТРОВНА")]
_WORDS = """СЕВЕР ВОСТОК УРАЛ КАМА ПАРМА СТРОЙ ТЕХНО АЛЬЯНС ГАРАНТ ВЕКТОР МАСТЕР РЕСУРС ЛИДЕР ПРОФИ СТИЛЬ
МЕДИА ПРИНТ АРТ КИНО ЗВУК ДИЗАЙН ТОРГ СЕРВИС ЛОГИСТИК АГРО ЛЕС ДОМ ПЛЮС ГРУПП ЦЕНТР""".split()


def _fns_pools(rnd: random.Random) -> dict:
    """Pre-written pieces of documents, picked from at random: writing each document is one format."""

    def place(tag: str, type_: str, name: str) -> str:
        return f'<{tag} Тип="{type_}" Наим="{name}"/>'

    def settlement() -> str:
        return place("НаселПункт", *rnd.choice(_SETTLEMENTS))

    def places(districts: list[str], cities: list[str], capital: str) -> list[str]:
        out = []
        for d in districts:
            out += [place("Район", "РАЙОН", d), place("Район", "РАЙОН", d) + settlement()]
            out += [place("Район", "район", d.capitalize()) + settlement()]  # mixed case, one municipality
        for c in cities:
            out += [place("Город", "ГОРОД", c), place("Город", "г", c.capitalize())]
        out += [place("Город", "ГОРОД", capital)] * len(out)  # half the firms in the capital
        out += [settlement() for _ in range(3)]  # a settlement only: counted as a place of its own
        return out

    def okved(tag: str, code: str, name: str) -> str:
        return f'<{tag} КодОКВЭД="{code}" НаимОКВЭД="{name}" ВерсОКВЭД="2014"/>'

    every = {**_OKVED_CREATIVE, **_OKVED_OTHER}
    codes = list(every)
    extra = [
        "".join(okved("СвОКВЭДДоп", c, every[c]) for c in rnd.sample(codes, rnd.choice((1, 1, 2, 3))))
        for _ in range(1024)
    ]
    orgs = []
    for _ in range(1024):
        name = " ".join(rnd.sample(_WORDS, rnd.choice((1, 2, 2))))
        form = rnd.choice((("ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ", "ООО"), ("АКЦИОНЕРНОЕ ОБЩЕСТВО", "АО")))
        orgs.append(f'НаимОрг="{form[0]} &quot;{name}&quot;" НаимОргСокр="{form[1]} &quot;{name}&quot;"')
    people = []
    for surname in _SURNAMES:
        for first, middle in _MALE:
            people.append(f'<ФИОИП Фамилия="{surname}" Имя="{first}" Отчество="{middle}"/>')
        for first, middle in _FEMALE:
            people.append(f'<ФИОИП Фамилия="{surname}А" Имя="{first}" Отчество="{middle}"/>')
    licence = (
        '<СвЛиценз СерЛиценз="" НомЛиценз="Л035-01298-59/{n:08d}" ВидЛиценз="" ДатаЛиценз="15.03.2021" '
        'ДатаНачЛиценз="15.03.2021" ДатаКонЛиценз="" ОргВыдЛиценз="МИНИСТЕРСТВО ОБРАЗОВАНИЯ И НАУКИ ПЕРМСКОГО '
        'КРАЯ"><НаимЛицВД>Образовательная деятельность</НаимЛицВД></СвЛиценз>'
    )
    return {
        "regions": {c: f'<Регион Тип="{t}" Наим="{n}"/>' for c, t, n in _FNS_REGIONS},
        "home": places(_PERM_DISTRICTS, _PERM_CITIES, "ПЕРМЬ"),
        "away": places(_OTHER_DISTRICTS, _OTHER_CITIES, "ОБЛАСТНОЙ ЦЕНТР"),
        "main": [okved("СвОКВЭДОсн", c, n) for c, n in _OKVED_CREATIVE.items()]
        + [okved("СвОКВЭДОсн", c, n) for c, n in _OKVED_OTHER.items()],
        "extra": extra,
        "orgs": orgs,
        "people": people,
        "licence": licence,
        "dates": [f"10.{m:02d}.{y}" for y in range(2016, 2027) for m in range(1, 13)],
    }


def make_fns(documents: int, folder: Path, seed: int = 2026, level: int = 1, progress=None) -> dict:
    """Write `folder`/sme.zip (the SME register: `documents` documents in members of 900) and
    `folder`/headcount.zip (the head count of 90% of its organisations, plus 5% as many organisations the
    register does not hold); returns the paths and what was made, counted: documents, organisations,
    region_documents and region_organisations (of FNS_REGION), region_headcounts (its organisations with
    a head count), headcount_documents, and the members of each ZIP. ~1 KB a document, ~300 bytes a
    head-count document; deflated at `level`. The same seed gives the same bytes."""
    import zipfile

    say = progress or (lambda _m: None)
    rnd = random.Random(seed)
    pools = _fns_pools(rnd)
    codes = [c for c, _, _ in _FNS_REGIONS]
    rest = (100.0 - sum(_FNS_SHARES.values())) / (len(codes) - len(_FNS_SHARES))
    cum, total = [], 0.0
    for c in codes:
        total += _FNS_SHARES.get(c, rest)
        cum.append(total)
    n_creative = len(_OKVED_CREATIVE)
    main_cum = [15.0 * (k + 1) / n_creative for k in range(n_creative)]  # 15% of firms in a creative code
    main_cum += [15.0 + 85.0 * (k + 1) / len(_OKVED_OTHER) for k in range(len(_OKVED_OTHER))]
    regions, home, away, mains = pools["regions"], pools["home"], pools["away"], pools["main"]
    extra, orgs, people = pools["extra"], pools["orgs"], pools["people"]
    dates, licence = pools["dates"], pools["licence"]
    mix = 0x9E3779B97F4A7C15F39CC0605CEDC835  # an odd 128-bit constant: counter -> UUID-looking ИдДок
    mask = (1 << 128) - 1
    salt = seed * 1_000_003

    def uid(i: int) -> str:
        h = f"{((i + salt) * mix) & mask:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def xml_file(kind: str, docs: list[str], member: int) -> bytes:
        ident = f"VO_{kind}_0000_9965_20260610_{uid(member + (3 << 40))}"
        if kind == "RRMSPSV":
            head = f'<Файл ИдФайл="{ident}" ВерсФорм="4.05" ТипИнф="РЕЕСТРМСП" ВерсПрог="1.0" КолДок="{len(docs)}">'
        else:
            head = f'<Файл ИдФайл="{ident}" ВерсФорм="4.01" ВерсПрог="1.0" ТипИнф="ОТКРДАННЫЕ3" КолДок="{len(docs)}">'
        body = '<?xml version="1.0" encoding="UTF-8"?>' + head + '<ИдОтпр><ФИООтв Фамилия="-" Имя="-"/></ИдОтпр>'
        return (body + "".join(docs) + "</Файл>").encode()

    def write(z, kind: str, docs: list[str], member: int) -> None:
        info = zipfile.ZipInfo(f"VO_{kind}_0000_9965_20260610_{uid(member + (3 << 40))}.xml", date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, xml_file(kind, docs, member), compresslevel=level)

    made = dict.fromkeys(
        ("organisations", "region_documents", "region_organisations", "region_headcounts", "headcount_documents"), 0
    )
    sme_path, head_path = folder / "sme.zip", folder / "headcount.zip"
    sme_members = head_members = 0
    heads: list[str] = []
    outside = 0  # organisations in the head-count data set only
    say_every = max(100_000, documents // 10)
    with zipfile.ZipFile(sme_path, "w") as sme, zipfile.ZipFile(head_path, "w") as hz:
        for start in range(0, documents, FNS_MEMBER_DOCS):
            n = min(FNS_MEMBER_DOCS, documents - start)
            where = rnd.choices(codes, cum_weights=cum, k=n)
            main = rnd.choices(mains, cum_weights=main_cum, k=n)
            docs = []
            for k in range(n):
                i = start + k
                code = where[k]
                u = rnd.random()
                kind = 1 if u < 0.25 else (2 if u < 0.97 else 3)
                v = rnd.random()
                cat = 1 if v < 0.95 else (2 if v < 0.99 else 3)
                spot = rnd.choice(home) if code == FNS_REGION else rnd.choice(away)
                if kind == 1:
                    inn = f"{code}{i:08d}"
                    who = f'<ОргВклМСП {rnd.choice(orgs)} ИННЮЛ="{inn}"/>'
                    lic = licence.format(n=i) if rnd.random() < 0.05 else ""
                    made["organisations"] += 1
                    if code == FNS_REGION:
                        made["region_organisations"] += 1
                    if rnd.random() < 0.9:
                        staff = rnd.randint(*((0, 15), (16, 100), (101, 250))[cat - 1])
                        heads.append(_head_doc(uid(i + (1 << 40)), inn, staff, rnd.choice(orgs)))
                        if code == FNS_REGION:
                            made["region_headcounts"] += 1
                    if rnd.random() < 0.05:
                        outside += 1
                        heads.append(_head_doc(uid(outside + (2 << 40)), f"99{outside:08d}", 300, rnd.choice(orgs)))
                else:
                    who = f'<ИПВклМСП ИННФЛ="{code}{i:010d}">{rnd.choice(people)}</ИПВклМСП>'
                    lic = ""
                if code == FNS_REGION:
                    made["region_documents"] += 1
                docs.append(
                    f'<Документ ИдДок="{uid(i)}" ДатаСост="10.06.2026" ДатаВклМСП="{rnd.choice(dates)}" '
                    f'ВидСубМСП="{kind}" КатСубМСП="{cat}" ПризНовМСП="{1 if rnd.random() < 0.1 else 2}" '
                    f'СведСоцПред="2">{who}<СведМН КодРегион="{code}">{regions[code]}{spot}</СведМН>'
                    f"<СвОКВЭД>{main[k]}{rnd.choice(extra)}</СвОКВЭД>{lic}</Документ>"
                )
            write(sme, "RRMSPSV", docs, sme_members)
            sme_members += 1
            while len(heads) >= FNS_MEMBER_DOCS:
                write(hz, "OTKRDAN3", heads[:FNS_MEMBER_DOCS], head_members)
                del heads[:FNS_MEMBER_DOCS]
                made["headcount_documents"] += FNS_MEMBER_DOCS
                head_members += 1
            if (start + n) // say_every != start // say_every:
                say(f"  {start + n:,} of {documents:,} documents written")
        if heads or not head_members:
            write(hz, "OTKRDAN3", heads, head_members)
            made["headcount_documents"] += len(heads)
            head_members += 1
    return {
        "sme": sme_path,
        "headcount": head_path,
        "documents": documents,
        **made,
        "sme_members": sme_members,
        "headcount_members": head_members,
    }


def _head_doc(ident: str, inn: str, staff: int, org: str) -> str:
    name = org.split('"', 2)[1]  # НаимОрг's value
    return (
        f'<Документ ИдДок="{ident}" ДатаДок="01.06.2026" ДатаСост="31.12.2025"><СведНП НаимОрг="{name}" '
        f'ИННЮЛ="{inn}"/><СведССЧР КолРаб="{staff}"/></Документ>'
    )


def fns_ours(sme: Path, headcount: Path):
    """What the app does with the two uploads: read_registers with the region filter, then the LQ."""
    from policy_engine.diagnostics.location_quotients import location_quotients
    from policy_engine.diagnostics.registers import Options, read_registers
    from policy_engine.method.catalogue import default_catalogue

    result = read_registers(
        [("sme.zip", sme), ("headcount.zip", headcount)], default_catalogue(), options=Options(region=FNS_REGION)
    )
    return result, location_quotients(result.cells)


def _fns_ours_summary(out) -> dict:
    from policy_engine.diagnostics.territories import name_key

    result, lq = out
    exact = next(w for w in result.warnings if w.code == "fns_headcount").values["exact"]
    return {
        "region_documents": result.rows_total,
        "with_headcount": int(exact.replace(",", "")),
        "cells": sorted([name_key(c.municipality), c.industry, c.firms, c.employees] for c in result.cells),
        "lq_cells": len(lq),
    }


def fns_baseline(sme: Path, headcount: Path) -> dict:
    """The same job as a plain lxml.etree.iterparse loop: each member of the SME ZIP parsed document by
    document (cleared as it goes), the fields read, the region filtered after parsing; the head-count
    members into an INN -> employees dict; then the join by INN, the size band of a firm without a head
    count (its estimate, as ours), the group-by municipality × industry and the LQ in plain Python."""
    import zipfile

    from lxml import etree

    from policy_engine.diagnostics import sizebands
    from policy_engine.diagnostics.register import CODE_RE, NON_CREATIVE, crosswalk, industry_of
    from policy_engine.diagnostics.territories import name_key
    from policy_engine.method.catalogue import default_catalogue

    catalogue = default_catalogue()
    table, scheme = crosswalk(catalogue), catalogue.size_band_scheme("fns_sme_category")
    kept = []
    with zipfile.ZipFile(sme) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                for _event, doc in etree.iterparse(member, events=("end",), tag="Документ"):
                    who = doc.find("ОргВклМСП")
                    inn = who.get("ИННЮЛ") if who is not None else None
                    if who is None:
                        who = doc.find("ИПВклМСП")
                        inn = who.get("ИННФЛ") if who is not None else None
                    place = doc.find("СведМН")
                    region = place.get("КодРегион") if place is not None else None
                    municipality = None
                    for tag in ("Район", "Город", "НаселПункт"):
                        found = place.find(tag) if place is not None else None
                        if found is not None and (found.get("Наим") or "").strip():
                            municipality = (found.get("Наим"), found.get("Тип") or "")
                            break
                    main = doc.find("СвОКВЭД/СвОКВЭДОсн")
                    okved = main.get("КодОКВЭД") if main is not None else None
                    row = (doc.get("ВидСубМСП"), doc.get("КатСубМСП"), inn, region, municipality, okved)
                    doc.clear()
                    while doc.getprevious() is not None:
                        del doc.getparent()[0]
                    if row[3] is not None and row[3].zfill(2) == FNS_REGION:
                        kept.append(row)
    heads: dict[str, int] = {}
    with zipfile.ZipFile(headcount) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                for _event, doc in etree.iterparse(member, events=("end",), tag="Документ"):
                    firm, staff = doc.find("СведНП"), doc.find("СведССЧР")
                    if firm is not None and staff is not None:
                        heads[firm.get("ИННЮЛ")] = int(staff.get("КолРаб"))
                    doc.clear()
                    while doc.getprevious() is not None:
                        del doc.getparent()[0]
    cells: dict[tuple[str, str], list[float]] = {}
    keys: dict[tuple[str, str], str] = {}
    industries: dict[str, str] = {}
    exact = 0
    for kind, cat, inn, _region, municipality, okved in kept:
        band = scheme.band(cat) if cat else None
        if kind is None or band is None or not okved or not CODE_RE.match(okved) or municipality is None:
            continue
        key = keys.get(municipality) or keys.setdefault(municipality, name_key(*municipality))
        industry = industries.get(okved) or industries.setdefault(okved, industry_of(okved, table))
        staff = heads.get(inn) if kind == "1" else None
        if staff is not None:
            exact += 1
            employees = float(staff)
        else:
            low, high = sizebands.band_range(band, scheme)
            own = 0.0 if kind == "1" else 1.0
            employees = sizebands.estimate(low + own, high + own)
        acc = cells.setdefault((key, industry), [0, 0.0])
        acc[0] += 1
        acc[1] += employees
    by_place: dict[str, float] = {}
    by_industry: dict[str, float] = {}
    for (m, i), (_firms, employees) in cells.items():
        by_place[m] = by_place.get(m, 0.0) + employees
        by_industry[i] = by_industry.get(i, 0.0) + employees
    total = sum(by_place.values())
    lq = {
        (m, i): (e / by_place[m]) / (by_industry[i] / total)
        for (m, i), (_f, e) in cells.items()
        if i != NON_CREATIVE and by_place[m] and by_industry[i]
    }
    return {
        "region_documents": len(kept),
        "with_headcount": exact,
        "cells": sorted([m, i, int(f), e] for (m, i), (f, e) in cells.items()),
        "lq_cells": len(lq),
    }


def _fns_child(side: str, sme: str, headcount: str, runs: int, queue) -> None:
    """Run one side in this fresh process: its libraries imported and the catalogue loaded, then `runs`
    timed runs and no warm-up (see the section's text)."""
    from policy_engine.diagnostics import location_quotients, registers  # noqa: F401
    from policy_engine.method.catalogue import default_catalogue

    if side == "lxml":
        from lxml import etree  # noqa: F401
    default_catalogue()
    times, summary = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fns_ours(Path(sme), Path(headcount)) if side == "ours" else fns_baseline(Path(sme), Path(headcount))
        times.append(time.perf_counter() - t0)
        got = _fns_ours_summary(out) if side == "ours" else out
        assert summary is None or got == summary
        summary = got
        del out
    # this process's own peak (VmHWM), as in `_child`: ru_maxrss carries the generator's peak over exec
    queue.put({"times": times, "peak_mb": _own_peak_mb(), "summary": summary})


def fns_agree(ours: dict, base: dict, made: dict) -> list[str]:
    """Where ours and the lxml loop (and the generator's counts) disagree; empty when they agree."""
    import math

    problems = []
    for key, expected in (("region_documents", "region_documents"), ("with_headcount", "region_headcounts")):
        if not ours[key] == base[key] == made[expected]:
            problems.append(f"{key}: ours {ours[key]}, lxml {base[key]}, generated {made[expected]}")
    if ours["lq_cells"] != base["lq_cells"]:
        problems.append(f"LQ cells: ours {ours['lq_cells']}, lxml {base['lq_cells']}")
    mine = {(m, i): (f, e) for m, i, f, e in ours["cells"]}
    theirs = {(m, i): (f, e) for m, i, f, e in base["cells"]}
    for cell in sorted(mine.keys() | theirs.keys()):
        a, b = mine.get(cell), theirs.get(cell)
        if a is None or b is None or a[0] != b[0] or not math.isclose(a[1], b[1], rel_tol=1e-9):
            problems.append(f"cell {cell}: ours {a}, lxml {b}")
    return problems


def bench_fns(documents: int, runs: int = 1, progress=None) -> dict:
    """Time our FNS import + LQ and the lxml iterparse loop on the same generated files (see the section)."""
    say = progress or (lambda msg: None)
    with tempfile.TemporaryDirectory(prefix="gl-bench-fns-") as tmp:
        say(f"generating an FNS SME register of {documents:,} documents and its head-count file")
        t0 = time.perf_counter()
        made = make_fns(documents, Path(tmp), progress=say)
        generate_s = time.perf_counter() - t0
        sme_mb, head_mb = made["sme"].stat().st_size / 1e6, made["headcount"].stat().st_size / 1e6
        say(
            f"generated in {generate_s:.1f} s: sme.zip {sme_mb:.1f} MB ({made['sme_members']} members), "
            f"headcount.zip {head_mb:.1f} MB ({made['headcount_documents']:,} documents); "
            f"timing ours ({runs} run{'s' if runs > 1 else ''}, no warm-up, fresh process)"
        )
        files = (str(made["sme"]), str(made["headcount"]))
        mine = _in_fresh_process("ours", _fns_child, "ours", *files, runs)
        say("timing the lxml iterparse loop")
        base = _in_fresh_process("lxml", _fns_child, "lxml", *files, runs)
    problems = fns_agree(mine["summary"], base["summary"], made)
    if problems:
        raise AssertionError("ours and the lxml loop disagree: " + "; ".join(problems[:10]))
    median, base_median = statistics.median(mine["times"]), statistics.median(base["times"])
    ratio = base_median / median
    return {
        "name": "fns",
        "documents": documents,
        "runs": runs,
        "median_s": round(median, 3),
        "docs_per_s": round(documents / median),
        "baseline_median_s": round(base_median, 3),
        "baseline_docs_per_s": round(documents / base_median),
        "ratio": round(ratio, 2),
        "peak_mb": round(mine["peak_mb"], 1),
        "baseline_peak_mb": round(base["peak_mb"], 1),
        "region_documents": made["region_documents"],
        "region_organisations": made["region_organisations"],
        "with_headcount": made["region_headcounts"],
        "headcount_documents": made["headcount_documents"],
        "sme_zip_mb": round(sme_mb, 1),
        "headcount_zip_mb": round(head_mb, 1),
        "generate_s": round(generate_s, 1),
        "bar_met": ratio >= FNS_BAR_RATIO and mine["peak_mb"] < FNS_BAR_MB,
    }


def main_fns(documents: int, runs: int, fmt: str) -> int:
    result = bench_fns(documents, runs, progress=lambda m: print(m, file=sys.stderr, flush=True))
    if fmt == "json":
        print(json.dumps(result))
    else:
        print(
            f"FNS register import + LQ, {documents:,} documents (region {FNS_REGION}: "
            f"{result['region_documents']:,}): median {result['median_s']:.2f} s, {result['docs_per_s']:,} documents/s "
            f"(lxml iterparse loop {result['baseline_median_s']:.2f} s, {result['baseline_docs_per_s']:,} documents/s; "
            f"{result['ratio']:.1f}x), peak {result['peak_mb']:.0f} MB (lxml {result['baseline_peak_mb']:.0f} MB); "
            f"bar >= {FNS_BAR_RATIO:g}x and < {FNS_BAR_MB:g} MB: {'met' if result['bar_met'] else 'NOT met'}"
        )
    return 0
