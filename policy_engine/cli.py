"""Command line: `python -m policy_engine COMMAND ...`.

Facilitators script the engine from the shell and CI checks project files with it, so every
command prints either a result or one line saying what is wrong with the input, and exits
non-zero on failure; a traceback is shown only with GENIUS_LOCI_DEBUG=1.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from policy_engine.diagnostics.fns import NO_HEADCOUNT
from policy_engine.diagnostics.rules import classify_all, decision_record
from policy_engine.method.catalogue import Catalogue, default_catalogue
from policy_engine.method.vocabulary import LEVELS, MEASURE_TYPES
from policy_engine.project.model import PROJECT_MAX_BYTES, Project, ProjectError, check_references
from policy_engine.project.sample import SAMPLES_DIR, available_samples, load_sample
from policy_engine.seedfile import SeedError


class CliError(Exception):
    """Bad input: printed as one line, exit code 1."""


# What a terminal would act on instead of showing: C0 controls (ESC starts the sequences that recolour,
# move the cursor, retitle the window or, in some terminals, write files), DEL, C1 controls (U+009B is a
# one-character CSI), line and paragraph separators, and the bidi marks, embeddings, overrides and
# isolates that reverse the text after them ("\u202e" made `txt.exe` read as `exe.txt`).
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BIDI_AND_SEPARATORS = frozenset("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F or ch in _BIDI_AND_SEPARATORS


def safe(value: object) -> str:
    """A value from a project, a database row, a file or an error, as text a terminal only shows: every
    control and bidi character becomes a visible escape (ESC is `\\x1b`, a line break `\\n`, U+202E
    `\\u202e`), so names print on one line, in their colours and order. Every user value the CLI prints
    in text goes through here (tables through `_table`); JSON output escapes the same characters."""
    text = str(value)
    if not any(_unsafe(ch) for ch in text):
        return text
    return "".join(
        _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) <= 0xFF else f"\\u{ord(ch):04x}") if _unsafe(ch) else ch
        for ch in text
    )


def _json(data: object, **options) -> str:
    """JSON for the terminal: as `json.dumps` writes it (C0 controls are already escapes), with C1
    controls and bidi characters as \\u escapes too, so the text is the same JSON and shows harmlessly."""
    text = json.dumps(data, ensure_ascii=False, indent=2, **options)  # its own line breaks and indents stay as they are
    return "".join(f"\\u{ord(ch):04x}" if ord(ch) >= 0x7F and _unsafe(ch) else ch for ch in text)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[safe(h) for h in headers]] + [[safe(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def read_document(path: str) -> bytes:
    """A project file's bytes, at most one past the largest project document: a bigger file (or
    /dev/zero) is not read to its end, and Project.from_json refuses it by its size."""
    with open(path, "rb") as f:
        return f.read(PROJECT_MAX_BYTES + 1)


def read_project(path: str) -> Project:
    """Read a project file, turning every failure into a one-line CliError."""
    if not path:
        raise CliError("no file given")
    try:
        data = read_document(path)
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory, not a project file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return Project.from_json(data)
    except ProjectError as exc:
        raise CliError(f"{path}: {len(exc.errors)} error(s): " + "; ".join(exc.errors)) from None


def _emit(text: str, out: str | None) -> None:
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{out}: cannot write ({exc.strerror})") from None
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_catalogue(args: argparse.Namespace, cat: Catalogue) -> int:
    if args.format == "json":
        _emit(_json(cat.model_dump(mode="json")), None)
        return 0
    lang = args.lang
    rows = [
        (i.id, i.name.get(lang), cat.rules.group(i.significance).name.get(lang), ", ".join(c.code for c in i.codes))
        for i in cat.industries
    ]
    print(_table(["industry", "name", "significance", "codes"], rows))
    print()
    rows = [
        (m.id, m.level, m.type, m.title.get(lang))
        for lvl in LEVELS
        for t in MEASURE_TYPES
        for m in cat.measures
        if m.level == lvl and m.type == t
    ]
    print(_table(["measure", "level", "type", "title"], rows))
    print(
        f"\n{len(cat.industries)} industries, {len(cat.measures)} measures, {len(cat.kpis)} KPIs, "
        f"{len(cat.cluster_types)} cluster types, {len(cat.countries)} countries"
    )
    return 0


def cmd_classify(args: argparse.Namespace, cat: Catalogue) -> int:
    project = read_project(args.project) if args.project is not None else None
    if project is not None:
        errors = check_references(project, cat)
        if errors:
            raise CliError(f"{args.project}: {len(errors)} error(s): " + "; ".join(errors))
    country = project.region.country if project else "RU"
    decisions = classify_all(cat, project)
    if args.format == "json":
        records = [decision_record(d, cat, args.lang, country) for d in decisions]
        _emit(_json(records), None)
        return 0
    lang = args.lang
    levels = cat.country(country).levels
    rows = []
    for d in decisions:
        changed = "" if d.significance == d.default_significance else f" (typology: {d.default_significance})"
        rows.append(
            (
                d.industry,
                cat.rules.group(d.significance).name.get(lang) + changed + (" *" if d.overridden else ""),
                ", ".join(levels[lvl].get(lang) for lvl in d.levels),
                len(d.measures),
            )
        )
    print(_table(["industry", "significance", "levels", "measures"], rows))
    if any(d.overridden for d in decisions):
        print("* set by a facilitator's override")
    print("\nUse --format json for each decision's measures and explanation.")
    return 0


def cmd_sample(args: argparse.Namespace, cat: Catalogue) -> int:
    try:
        project = load_sample(args.name)
    except KeyError:
        names = ", ".join(available_samples()) or "none"
        raise CliError(f"no sample called {args.name!r}; available: {names}") from None
    _emit(project.to_json(), args.out)
    if args.out:
        print(f"wrote {safe(args.out)}", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace, cat: Catalogue) -> int:
    try:
        project = read_project(args.file)
    except CliError as exc:
        print(f"invalid: {safe(exc)}", file=sys.stderr)
        return 1
    errors = check_references(project, cat)
    if errors:
        print(f"invalid: {safe(args.file)}: {len(errors)} error(s)", file=sys.stderr)
        for e in errors:
            print(f"  {safe(e)}", file=sys.stderr)
        return 1
    r = project.region
    print(
        f"ok: {safe(project.id)} — {safe(r.name)} ({safe(r.country)}), cycle {project.cycle}, iteration {project.iteration}: "
        f"{len(project.identity_elements)} identity elements, {len(project.clusters)} clusters, "
        f"{len(project.measures)} measures, {len(project.pilots)} pilots, {len(project.kpis)} KPIs"
    )
    return 0


def _author(args: argparse.Namespace) -> str:
    import getpass

    return args.author or os.environ.get("GENIUS_LOCI_AUTHOR") or getpass.getuser()


def _open_store():
    """The store named by DATABASE_URL (SQLite under data/ by default), with one-line errors."""
    import sqlalchemy as sa

    from policy_engine.store.database import Store, database_url

    try:
        return Store()
    except sa.exc.OperationalError as exc:
        raise CliError(
            f"cannot open the database {sa.engine.make_url(database_url()).render_as_string()}: "
            f"{str(exc.orig).strip().splitlines()[0]}"
        ) from None
    except sa.exc.ArgumentError as exc:
        raise CliError(f"DATABASE_URL is not a database URL: {exc}") from None


def cmd_projects(args: argparse.Namespace, cat: Catalogue) -> int:
    from policy_engine.store.database import StoreError

    store = _open_store()
    secret = os.environ.get("GENIUS_LOCI_PASSPHRASE") or None
    try:
        if args.action == "list":
            items = store.list_projects()
            if args.format == "json":
                _emit(_json([i.model_dump(mode="json") for i in items]), None)
            elif not items:
                print("no projects yet; add one with: python -m policy_engine projects import FILE")
            else:
                print(
                    _table(
                        ["id", "region", "country", "version", "cycle", "updated (UTC)"],
                        [
                            (
                                i.id,
                                "(protected)" if i.protected else i.region_name,
                                i.country or "",
                                i.head_version or "",
                                i.cycle or "",
                                i.updated_at.strftime("%Y-%m-%d %H:%M") if i.updated_at else "",
                            )
                            for i in items
                        ],
                    )
                )
        elif args.action == "import":  # read and checked as `validate` does: Project.from_json, validation.check
            try:
                data = read_document(args.file)
            except OSError as exc:
                raise CliError(f"{args.file}: cannot read ({exc.strerror})") from None
            if args.protect and not secret:
                raise CliError("--protect needs the passphrase in the environment variable GENIUS_LOCI_PASSPHRASE")
            pid, version = store.import_json(data, _author(args), passphrase=secret if args.protect else None)
            print(f"imported {safe(pid)} as version {version}" + (" (protected)" if args.protect else ""))
        elif args.action == "export":
            _emit(store.export_json(args.id, version=args.version, passphrase=secret), args.out)
            if args.out:
                print(f"wrote {safe(args.out)}", file=sys.stderr)
        elif args.action == "history":
            items = store.history(args.id, passphrase=secret)
            if args.format == "json":
                _emit(_json([i.model_dump(mode="json") for i in items]), None)
            else:
                print(
                    _table(
                        ["version", "cycle", "saved (UTC)", "by", "iterations changed", "note"],
                        [
                            (
                                i.version,
                                i.cycle,
                                i.saved_at.strftime("%Y-%m-%d %H:%M:%S"),
                                i.author,
                                ", ".join(map(str, i.iterations)) or "-",
                                i.note,
                            )
                            for i in items
                        ],
                    )
                )
        elif args.action == "restore":
            version = store.restore(args.id, args.version, _author(args), passphrase=secret)
            print(f"restored version {args.version} of {safe(args.id)} as version {version}")
    except StoreError as exc:
        raise CliError(str(exc)) from None
    finally:
        store.close()
    return 0


def _rounded(value: float | None) -> float | None:
    """A quotient for JSON: None when there is none, or when it has no ceiling (an LQ bound of inf)."""
    return None if value is None or not math.isfinite(value) else round(value, 6)


T = TypeVar("T")


def _reading(read: Callable[[], T]) -> T:
    """A register read for `register` and `national`: a file that cannot be used is one line and exit 1."""
    from policy_engine.diagnostics.register import RegisterError

    try:
        return read()
    except RegisterError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot read ({exc.strerror})") from None


def cmd_register(args: argparse.Namespace, cat: Catalogue) -> int:
    from policy_engine.diagnostics.location_quotients import location_quotients, read_benchmark
    from policy_engine.diagnostics.registers import Options, read_registers

    changes = read_project(args.project).crosswalk if args.project else []
    options = Options(region=args.region, no_headcount=args.no_headcount)
    result, benchmark = _reading(
        lambda: (
            read_registers([(f, f) for f in args.files], cat, changes, options),
            read_benchmark(args.benchmark, cat) if args.benchmark else None,
        )
    )
    cells = location_quotients(result.cells, benchmark)
    # a register none of whose rows could be used is an error (exit 1), after saying why each was not
    unusable = (
        CliError(f"no row of the register could be used ({result.rejected_count:,} rejected)")
        if not result.rows_used or not result.cells
        else None
    )
    if args.format == "json":
        _emit(
            _json(
                {
                    "rows_total": result.rows_total,
                    "rows_used": result.rows_used,
                    "rejected": [{"line": r.line, "reason": r.reason} for r in result.rejected],  # the first
                    "rejected_count": result.rejected_count,
                    "rejected_by_reason": result.rejected_by_reason,
                    "warnings": [w.describe("en") for w in result.warnings],
                    "format": result.format,
                    "cells": [
                        {
                            "municipality": c.municipality,
                            "industry": c.industry,
                            "firms": c.firms,
                            "employees": c.employees,
                            "lq": _rounded(c.lq),
                            # where firms stated a size band: the range of head counts and of LQ, and
                            # whether specialisation (LQ >= 1) flips inside it
                            **(
                                {
                                    "employees_low": c.employees_low,
                                    "employees_high": c.employees_high,
                                    "lq_low": _rounded(c.lq_low),
                                    "lq_high": _rounded(c.lq_high),
                                    "uncertain": c.uncertain,
                                }
                                if c.employees_low is not None
                                else {}
                            ),
                        }
                        for c in cells
                    ],
                },
                allow_nan=False,
            ),
            None,
        )
        if unusable:
            raise unusable
        return 0
    how = f"{result.encoding}, delimiter {result.delimiter!r}" if result.format == "table" else result.format
    print(f"{result.rows_used:,} of {result.rows_total:,} rows used ({how}); {result.rejected_count:,} rejected")
    for w in result.warnings:
        print(f"warning: {safe(w.describe('en'))}")
    for r in result.rejected[:20]:
        print(f"  line {r.line}: {safe(r.reason)}")
    if result.rejected_count > 20:
        print(f"  … and {result.rejected_count - 20:,} more; by reason: {result.rejections().describe_counts('en')}")
        print(f"  (--format json lists the first {len(result.rejected):,} with their lines)")
    if unusable:
        raise unusable
    print()
    ranged = any(c.employees_low is not None for c in cells)

    def lq_text(c) -> str:
        text = "-" if c.lq is None else f"{c.lq:.2f}"
        if ranged and c.lq_low is not None and c.lq_high is not None:
            high = f"{c.lq_high:.2f}" if math.isfinite(c.lq_high) else "inf"
            text += f" [{c.lq_low:.2f}-{high}]" + (" (uncertain)" if c.uncertain else "")
        return text

    print(
        _table(
            ["municipality", "industry", "firms", "employees", "LQ [range]" if ranged else "LQ"],
            [
                (
                    c.municipality,
                    c.industry,
                    c.firms,
                    f"{c.employees:.1f}" if ranged else f"{c.employees:g}",
                    lq_text(c),
                )
                for c in sorted(cells, key=lambda c: -(c.lq or 0))
            ],
        )
    )
    if ranged:
        print("(uncertain: specialisation, LQ >= 1, flips somewhere inside the size bands' ranges)")
    return 0


def cmd_national(args: argparse.Namespace, cat: Catalogue) -> int:
    from policy_engine.diagnostics.national import national

    changes = read_project(args.project).crosswalk if args.project else []
    result = _reading(lambda: national([(f, f) for f in args.files], cat, changes, args.no_headcount))
    if not result.rows or not result.employees:
        raise CliError(f"no row of the register could be used ({result.result.rejected_count:,} rejected)")
    mine = result.find(args.region) if args.region else None
    if args.region and mine is None:
        raise CliError(f"no region named {args.region!r} in the file")
    if args.format == "json":
        _emit(
            _json(
                {
                    "format": result.result.format,
                    "employees": result.employees,
                    "creative": result.creative,
                    "share": round(result.share, 6),
                    "region": None if mine is None else mine.region,
                    "regions": [
                        {
                            "rank": r.rank,
                            "region": r.region,
                            "code": r.code,
                            "employees": r.employees,
                            "creative": r.creative,
                            "share": round(r.share, 6),
                            "lq": _rounded(r.lq),
                            "lq_by_industry": {i: _rounded(v) for i, v in r.by_industry.items()},
                        }
                        for r in result.rows
                    ],
                },
                allow_nan=False,
            ),
            None,
        )
        return 0
    print(
        f"{len(result.rows)} regions; the nation: {result.employees:,.0f} employees, "
        f"{result.creative:,.0f} in creative industries ({result.share:.2f}%)"
    )
    for w in result.result.warnings:
        print(f"warning: {safe(w.describe('en'))}")
    print()
    rows = [
        (
            ("> " if r is mine else "") + str(r.rank),
            r.region,
            f"{r.employees:,.0f}",
            f"{r.share:.2f}",
            "-" if r.lq is None else f"{r.lq:.2f}",
            ", ".join(f"{i} {v:.1f}" for i, v in sorted(r.by_industry.items(), key=lambda kv: -(kv[1] or 0))[:3] if v),
        )
        for r in result.rows
    ]
    print(_table(["rank", "region", "employees", "creative %", "creative LQ", "highest LQ"], rows))
    return 0


def cmd_bench(args: argparse.Namespace, cat: Catalogue) -> int:
    from policy_engine.bench import main_fns, main_register, main_roadmap, main_upload, main_workshop

    runs = args.runs if args.runs is not None else (1 if args.what == "fns" else 7)
    if args.rows < 1 or runs < 1 or args.documents < 1:
        raise CliError("--rows, --documents and --runs must be at least 1")
    if args.what == "fns":
        return main_fns(args.documents, runs, args.format)
    if args.what == "roadmap":
        return main_roadmap(runs, args.format)
    if args.what == "upload":
        return main_upload(runs, args.format)
    if args.what == "workshop":
        if not 1 <= args.participants <= 2000:
            raise CliError("--participants must be from 1 to 2000")
        return main_workshop(args.participants, args.format)
    return main_register(args.rows, runs, args.format)


def _writable(path: str, suffix: str) -> Path:
    out = Path(path)
    if out.suffix.lower() != suffix:
        raise CliError(f"{path}: the file name should end in {suffix}")
    if out.is_dir():
        raise CliError(f"{path}: is a directory")
    if not out.parent.exists():
        raise CliError(f"{path}: the folder {out.parent} does not exist")
    return out


def cmd_roadmap(args: argparse.Namespace, cat: Catalogue) -> int:
    from policy_engine.documents.publish import publish

    project = read_project(args.project)
    problems = check_references(project, cat)
    if problems:
        raise CliError(f"{args.project}: {len(problems)} error(s): " + "; ".join(problems))
    pdf_path = _writable(args.out, ".pdf")
    docx_path = _writable(args.docx, ".docx") if args.docx else None
    files = publish(
        project,
        cat,
        args.lang,
        docx=docx_path is not None,
        progress=lambda step, _: print(f"{step}…", file=sys.stderr, flush=True) if step != "done" else None,
    )
    for path, data in ((pdf_path, files.pdf), (docx_path, files.docx)):
        if path is None or data is None:
            continue
        tmp = path.with_name(path.name + ".part")  # a failed write never leaves half a file under the real name
        try:
            tmp.write_bytes(data)
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CliError(f"{path}: cannot write ({exc.strerror})") from None
    written = f"{pdf_path}" + (f" and {docx_path}" if docx_path else "")
    print(f"{safe(written)}: {files.pages} pages, {files.seconds:.2f} s")
    return 0


class OneLineParser(argparse.ArgumentParser):
    """argparse prints usage and the error on separate lines; say it on one, like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"error: {safe(message)} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="python -m policy_engine",
        description="Genius Loci policy engine: classify creative industries by local identity and map them to support measures.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, helptext: str, func: Callable[..., int]) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=helptext, description=helptext)
        sp.set_defaults(func=func)
        return sp

    def fmt_lang(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--format", choices=["table", "json"], default="table")
        sp.add_argument("--lang", choices=["en", "ru", "kk"], default="en")

    fmt_lang(add("catalogue", "list the industries, codes and measures of the seed catalogue", cmd_catalogue))
    sp = add("classify", "classify every industry and map it to measures, with explanations", cmd_classify)
    sp.add_argument("--project", metavar="FILE", help="a project JSON file; without it the typology alone applies")
    fmt_lang(sp)
    sp = add("sample", f"write a sample project as JSON (samples in {SAMPLES_DIR.name}/)", cmd_sample)
    sp.add_argument("name", metavar="NAME", help="sample name, e.g. east-kazakhstan")
    sp.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    sp = add("validate", "check a project file: exit 0 with a summary, or 1 with the errors", cmd_validate)
    sp.add_argument("file", metavar="FILE")

    def register_inputs(sp: argparse.ArgumentParser) -> None:
        """What `register` and `national` both take: the files, the head-count rule, a project, a format."""
        sp.add_argument("files", metavar="FILE", nargs="+", help="the register (and, for FNS, its head-count file)")
        sp.add_argument(
            "--no-headcount",
            choices=NO_HEADCOUNT,
            default=NO_HEADCOUNT[0],
            help="FNS: firms without a head count (sole traders, farms, organisations not in the head-count file) "
            "are counted by their SME category's range (band) or left out (exclude)",
        )
        sp.add_argument("--project", metavar="FILE", help="a project whose crosswalk changes apply")
        sp.add_argument("--format", choices=["table", "json"], default="table")

    sp = add(
        "register",
        "import a firm register and compute location quotients: a CSV/XLSX table, the FNS SME register "
        "(ZIP/XML) with its head-count file, Kazakhstan's statistical register, or a NOMIS CSV",
        cmd_register,
    )
    register_inputs(sp)
    sp.add_argument("--region", metavar="CODE", help="FNS: the region code (КодРегион) to keep, e.g. 59")
    sp.add_argument("--benchmark", metavar="FILE", help="reference employment by industry with a total row")
    sp = add(
        "national",
        "a national register (FNS SME register of all Russia, Kazakhstan's register, a NOMIS file by region): every "
        "region's creative share and LQ against the nation",
        cmd_national,
    )
    register_inputs(sp)
    sp.add_argument("--region", metavar="NAME", help="mark this region in the table (e.g. 'Пермский край')")
    sp = add("roadmap", "write the roadmap as PDF (and DOCX) from a project file", cmd_roadmap)
    sp.add_argument("--project", metavar="FILE", required=True, help="a project JSON file")
    sp.add_argument("--out", metavar="FILE.pdf", required=True)
    sp.add_argument("--lang", choices=["ru", "en", "kk"], default="ru")
    sp.add_argument("--docx", metavar="FILE.docx", help="also write the editable DOCX")
    sp = add("bench", "benchmarks (see README)", cmd_bench)
    sp.add_argument("what", choices=["register", "roadmap", "upload", "workshop", "fns"])
    sp.add_argument("--participants", type=int, default=150, help="workshop: phones at once")
    sp.add_argument("--rows", type=int, default=1_000_000)
    sp.add_argument("--documents", type=int, default=1_000_000, help="fns: documents in the SME register")
    sp.add_argument("--runs", type=int, default=None, help="timed runs (default 7; fns: 1)")
    sp.add_argument("--format", choices=["table", "json"], default="table")

    sp = add(
        "projects",
        "the project store (SQLite under data/, or DATABASE_URL); protected projects read GENIUS_LOCI_PASSPHRASE",
        cmd_projects,
    )
    acts = sp.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = acts.add_parser("list", help="list stored projects")
    a.add_argument("--format", choices=["table", "json"], default="table")
    a = acts.add_parser("import", help="store a project JSON file as a new project")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--author", help="who is saving (default: GENIUS_LOCI_AUTHOR or your login)")
    a.add_argument("--protect", action="store_true", help="protect it with GENIUS_LOCI_PASSPHRASE")
    a = acts.add_parser("export", help="write a project's newest (or a given) version as JSON")
    a.add_argument("id", metavar="ID")
    a.add_argument("--version", type=int, help="an earlier version instead of the newest")
    a.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    a = acts.add_parser("history", help="list a project's versions: when, by whom, which iterations changed")
    a.add_argument("id", metavar="ID")
    a.add_argument("--format", choices=["table", "json"], default="table")
    a = acts.add_parser("restore", help="make an earlier version the newest again (as a new version)")
    a.add_argument("id", metavar="ID")
    a.add_argument("version", metavar="VERSION", type=int)
    a.add_argument("--author", help="who is restoring (default: GENIUS_LOCI_AUTHOR or your login)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args, default_catalogue())
    except CliError as exc:
        print(f"error: {safe(exc)}", file=sys.stderr)
        return 1
    except SeedError as exc:
        print(f"error: the seed catalogue is broken: {safe(str(exc).splitlines()[0])}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not bad input: still no traceback unless asked for
        if os.environ.get("GENIUS_LOCI_DEBUG"):
            raise
        print(
            f"error: internal error ({type(exc).__name__}: {safe(exc)}); rerun with GENIUS_LOCI_DEBUG=1 for details",
            file=sys.stderr,
        )
        return 1
