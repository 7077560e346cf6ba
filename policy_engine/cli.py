"""Command line: `python -m policy_engine COMMAND ...`.

Facilitators script the engine from the shell and CI checks project files with it, so every
command prints either a result or one line saying what is wrong with the input, and exits
non-zero on failure; a traceback is shown only with GENIUS_LOCI_DEBUG=1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from .catalogue import LEVELS, MEASURE_TYPES, Catalogue, default_catalogue
from .project import Project, ProjectError, check_references
from .rules import classify_all, decision_record
from .sample import SAMPLES_DIR, available_samples, load_sample
from .seedfile import SeedError


class CliError(Exception):
    """Bad input: printed as one line, exit code 1."""


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def read_project(path: str) -> Project:
    """Read a project file, turning every failure into a one-line CliError."""
    try:
        data = Path(path).read_bytes()
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
        _emit(json.dumps(cat.model_dump(mode="json"), ensure_ascii=False, indent=2), None)
        return 0
    lang = args.lang
    rows = [(i.id, i.name.get(lang), cat.rules.group(i.significance).name.get(lang),
             ", ".join(c.code for c in i.codes)) for i in cat.industries]
    print(_table(["industry", "name", "significance", "codes"], rows))
    print()
    rows = [(m.id, m.level, m.type, m.title.get(lang))
            for lvl in LEVELS for t in MEASURE_TYPES for m in cat.measures if m.level == lvl and m.type == t]
    print(_table(["measure", "level", "type", "title"], rows))
    print(f"\n{len(cat.industries)} industries, {len(cat.measures)} measures, {len(cat.kpis)} KPIs, "
          f"{len(cat.cluster_types)} cluster types, {len(cat.countries)} countries")
    return 0


def cmd_classify(args: argparse.Namespace, cat: Catalogue) -> int:
    project = read_project(args.project) if args.project else None
    if project is not None:
        errors = check_references(project, cat)
        if errors:
            raise CliError(f"{args.project}: {len(errors)} error(s): " + "; ".join(errors))
    country = project.region.country if project else "RU"
    decisions = classify_all(cat, project)
    if args.format == "json":
        records = [decision_record(d, cat, args.lang, country) for d in decisions]
        _emit(json.dumps(records, ensure_ascii=False, indent=2), None)
        return 0
    lang = args.lang
    levels = cat.country(country).levels
    rows = []
    for d in decisions:
        changed = "" if d.significance == d.default_significance else f" (typology: {d.default_significance})"
        rows.append((d.industry, cat.rules.group(d.significance).name.get(lang) + changed + (" *" if d.overridden else ""),
                     ", ".join(levels[lvl].get(lang) for lvl in d.levels), len(d.measures)))
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
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace, cat: Catalogue) -> int:
    try:
        project = read_project(args.file)
    except CliError as exc:
        print(f"invalid: {exc}", file=sys.stderr)
        return 1
    errors = check_references(project, cat)
    if errors:
        print(f"invalid: {args.file}: {len(errors)} error(s)", file=sys.stderr)
        for e in errors:
            print(f"  {e}", file=sys.stderr)
        return 1
    r = project.region
    print(f"ok: {project.id} — {r.name} ({r.country}), cycle {project.cycle}, iteration {project.iteration}: "
          f"{len(project.identity_elements)} identity elements, {len(project.clusters)} clusters, "
          f"{len(project.measures)} measures, {len(project.pilots)} pilots, {len(project.kpis)} KPIs")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
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
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args, default_catalogue())
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SeedError as exc:
        print(f"error: the seed catalogue is broken: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not bad input: still no traceback unless asked for
        if os.environ.get("GENIUS_LOCI_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}: {exc}); rerun with GENIUS_LOCI_DEBUG=1 for details",
              file=sys.stderr)
        return 1
