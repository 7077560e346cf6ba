"""`python -m policy_engine`: outputs of each command and one-line errors for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from policy_engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
TYPOLOGY = {
    c["input"]["industry"]: c["output"]
    for c in yaml.safe_load((ROOT / "tests/diagnostics/rules/typology.yaml").read_text(encoding="utf-8"))
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "policy_engine", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_help_lists_commands():
    r = run("--help")
    assert r.returncode == 0
    for cmd in ("catalogue", "classify", "sample", "validate"):
        assert cmd in r.stdout


def test_classify_json_reproduces_the_typology():
    r = run("classify", "--format", "json")
    assert r.returncode == 0, r.stderr
    records = json.loads(r.stdout)
    assert [rec["industry"] for rec in records] == list(TYPOLOGY)
    for rec in records:
        want = TYPOLOGY[rec["industry"]]
        assert (rec["significance"], rec["model"], rec["levels"]) == (
            want["significance"],
            want["model"],
            want["levels"],
        )
        assert {"industry", "significance", "model", "levels", "measures", "explanation"} <= rec.keys()
        assert all({"id", "level", "type", "title"} <= m.keys() for m in rec["measures"])
        assert {m["level"] for m in rec["measures"]} == set(rec["levels"])
        assert rec["explanation"] and all(isinstance(x, str) for x in rec["explanation"])


def test_classify_in_russian(capsys):
    assert main(["classify", "--format", "json", "--lang", "ru"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records[2]["name"] == "Народные художественные промыслы и ремёсла"
    assert "источник" in records[2]["explanation"][0]


def test_classify_with_project_uses_its_evidence_and_country(tmp_path, sample, capsys):
    path = tmp_path / "p.json"
    path.write_text(sample.to_json(), encoding="utf-8")
    assert main(["classify", "--project", str(path), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records[0]["level_names"][0] == "national"
    assert any("audit" in line for rec in records for line in rec["explanation"])


def test_catalogue_table_and_json(capsys):
    assert main(["catalogue", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "Муниципальные микрогранты" in out and "16 industries" in out
    assert main(["catalogue", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["industries"]) == 16


def test_sample_then_validate(tmp_path):
    out = tmp_path / "ek.json"
    r = run("sample", "east-kazakhstan", "--out", str(out))
    assert r.returncode == 0, r.stderr
    r = run("validate", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok: east-kazakhstan") and len(r.stdout.strip().splitlines()) == 1


def test_sample_to_stdout_is_the_canonical_json(sample, capsys):
    assert main(["sample", "east-kazakhstan"]) == 0
    assert capsys.readouterr().out == sample.to_json()


def test_validate_reports_reference_errors(tmp_path, sample):
    sample.clusters[0].industries = ["basket_weaving"]
    path = tmp_path / "p.json"
    path.write_text(sample.to_json(), encoding="utf-8")
    r = run("validate", str(path))
    assert r.returncode == 1
    assert "clusters › 1 › industries — there is no industry “basket_weaving”" in r.stderr


@pytest.mark.parametrize(
    "args, content, message",
    [
        (["validate", "{path}"], "{not json", "Not valid JSON (line 1, column 2)"),
        (["validate", "{path}"], '{"id": "x"}', "region — a required field is empty"),
        (["classify", "--project", "{path}"], "[]", "not a project (a JSON object is needed)"),
        (["classify", "--project", "{missing}"], None, "no such file"),
        (["classify", "--project", "{dir}"], None, "is a directory"),
        (["sample", "atlantis"], None, "no sample called 'atlantis'; available: east-kazakhstan"),
        (["validate", "{path}"], "", "is the file truncated?"),
        (["validate", "{path}"], "\x00\x01\x02garbage", "Not valid JSON"),
        (
            ["validate", "{path}"],
            '{"schema_version": 1, "id": "x", "region": {"name": 5, "country": "KZ"}, "cycle": "two"}',
            "region › name — must be text; cycle — “two” is not a whole number",
        ),
        (
            ["classify", "--project", "{path}"],
            '{"schema_version": 1, "id": "x", "region": {"name": "R", "country": "ZZ"}}',
            "region › country — there is no country “ZZ”",
        ),
        (["classify", "--project", ""], None, "no file given"),
    ],
)
def test_bad_input_gets_one_line_and_no_traceback(tmp_path, args, content, message):
    path = tmp_path / "in.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    args = [a.format(path=path, missing=tmp_path / "nope.json", dir=tmp_path) for a in args]
    r = run(*args)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_unknown_command_and_bad_option():
    for args in (["frobnicate"], ["classify", "--format", "xml"], ["catalogue", "--lang", "fr"]):
        r = run(*args)
        assert r.returncode == 2 and "Traceback" not in r.stderr and "invalid choice" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "--help" in r.stderr
    r = run("validate")
    assert r.returncode == 2 and "required: FILE" in r.stderr and len(r.stderr.strip().splitlines()) == 1


# --- projects (the store) -----------------------------------------------------------------------


def run_store(url: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "DATABASE_URL": url, "GENIUS_LOCI_AUTHOR": "Dana", **env}
    return subprocess.run(
        [sys.executable, "-m", "policy_engine", "projects", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
    )


def test_projects_commands_honour_database_url(store_url, tmp_path, sample):
    src = tmp_path / "ek.json"
    src.write_text(sample.to_json(), encoding="utf-8")
    r = run_store(store_url, "list")
    assert r.returncode == 0 and "no projects yet" in r.stdout
    r = run_store(store_url, "import", str(src))
    assert r.returncode == 0 and "imported east-kazakhstan as version 1" in r.stdout
    out = tmp_path / "out.json"
    assert run_store(store_url, "export", "east-kazakhstan", "--out", str(out)).returncode == 0
    assert out.read_bytes() == src.read_bytes()
    r = run_store(store_url, "restore", "east-kazakhstan", "1")
    assert r.returncode == 0 and "as version 2" in r.stdout
    r = run_store(store_url, "history", "east-kazakhstan", "--format", "json")
    history = json.loads(r.stdout)
    assert [(h["version"], h["author"], h["note"]) for h in history] == [
        (1, "Dana", "imported"),
        (2, "Dana", "restored from version 1"),
    ]
    r = run_store(store_url, "list", "--format", "json")
    assert [(p["id"], p["head_version"]) for p in json.loads(r.stdout)] == [("east-kazakhstan", 2)]


def test_projects_protected_and_bad_input(tmp_path, sample):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    src = tmp_path / "ek.json"
    src.write_text(sample.to_json(), encoding="utf-8")
    r = run_store(url, "import", str(src), "--protect")
    assert r.returncode == 1 and "GENIUS_LOCI_PASSPHRASE" in r.stderr
    assert run_store(url, "import", str(src), "--protect", GENIUS_LOCI_PASSPHRASE="долгий пароль").returncode == 0
    r = run_store(url, "export", "east-kazakhstan")
    assert r.returncode == 1 and "protected" in r.stderr and not r.stdout
    r = run_store(url, "export", "east-kazakhstan", GENIUS_LOCI_PASSPHRASE="долгий пароль")
    assert r.returncode == 0 and r.stdout == src.read_text(encoding="utf-8")
    assert "(protected)" in run_store(url, "list").stdout
    truncated = tmp_path / "t.json"
    truncated.write_bytes(src.read_bytes()[:500])
    for args, message in [
        (["import", str(truncated)], "truncated"),
        (["export", "nope"], "no project 'nope'"),
        (["restore", "east-kazakhstan", "7"], "protected"),
        (["import", str(tmp_path / "missing.json")], "cannot read"),
    ]:
        r = run_store(url, *args)
        assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    r = run_store("postgresql://nobody:x@127.0.0.1:1/none", "list")
    assert r.returncode == 1 and "cannot open the database" in r.stderr and "x@" not in r.stderr


# --- register and bench -------------------------------------------------------------------------


def test_register_json(tmp_path):
    src = tmp_path / "reg.csv"
    src.write_bytes(
        "ОКВЭД;Район;Численность\n59.11;Риддер;10\n47.11;Риддер;90\n59.11;Алтай;н/д\n90.01;Алтай;50\n".encode("cp1251")
    )
    bench = tmp_path / "bench.csv"
    bench.write_text("industry;employees\ncinema;1000\nperforming_arts;500\ntotal;100000\n", encoding="utf-8")
    r = run("register", str(src), "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["rows_total"], out["rows_used"]) == (4, 3)
    assert out["rejected"] == [{"line": 4, "reason": "employees 'н/д' is not a number"}]
    cells = {(c["municipality"], c["industry"]): c for c in out["cells"]}
    assert set(cells) == {("Риддер", "cinema"), ("Алтай", "performing_arts")}
    assert cells[("Риддер", "cinema")]["lq"] == pytest.approx((10 / 100) / (10 / 150))
    assert set(cells[("Риддер", "cinema")]) == {"municipality", "industry", "firms", "employees", "lq"}
    r = run("register", str(src), "--benchmark", str(bench), "--format", "json")
    cells = {(c["municipality"], c["industry"]): c for c in json.loads(r.stdout)["cells"]}
    assert cells[("Риддер", "cinema")]["lq"] == pytest.approx((10 / 100) / (1000 / 100000))


def test_register_bad_file_is_one_line(tmp_path):
    src = tmp_path / "reg.csv"
    src.write_text("name;address\nx;y\n", encoding="utf-8")
    r = run("register", str(src))
    assert r.returncode == 1 and "no column for code, municipality, employees" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_bench_register_small_run_reports_the_agreed_keys():
    r = run("bench", "register", "--rows", "3000", "--runs", "1", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"name", "rows", "median_s", "baseline_median_s", "ratio", "peak_mb"} <= out.keys()
    assert out["name"] == "register" and out["rows"] == 3000 and out["rows_used"] == 3000 - 3
    assert out["ratio"] == pytest.approx(out["baseline_median_s"] / out["median_s"], rel=0.02)


def test_roadmap_writes_pdf_and_docx(tmp_path, sample):
    from pypdf import PdfReader

    project = tmp_path / "p.json"
    project.write_text(sample.to_json(), encoding="utf-8")
    r = run(
        "roadmap",
        "--project",
        str(project),
        "--out",
        str(tmp_path / "r.pdf"),
        "--lang",
        "en",
        "--docx",
        str(tmp_path / "r.docx"),
    )
    assert r.returncode == 0, r.stderr
    pages = len(PdfReader(tmp_path / "r.pdf").pages)
    assert r.stdout.strip().endswith(f"{pages} pages, " + r.stdout.strip().split(", ")[-1])
    cover = " ".join(PdfReader(tmp_path / "r.pdf").pages[0].extract_text().split())
    assert "Roadmap for supporting the creative industries" in cover
    assert (tmp_path / "r.docx").read_bytes()[:2] == b"PK"
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(
    "args,message",
    [
        (["--out", "r.txt"], "should end in .pdf"),
        (["--out", "missing-dir/r.pdf"], "does not exist"),
        (["--out", "r.pdf", "--docx", "r.doc"], "should end in .docx"),
        (["--out", "r.pdf", "--lang", "de"], "invalid choice"),
    ],
)
def test_roadmap_bad_arguments_are_one_line(tmp_path, sample, args, message):
    project = tmp_path / "p.json"
    project.write_text(sample.to_json(), encoding="utf-8")
    args = [a if not a.startswith(("r.", "missing")) else str(tmp_path / a) for a in args]
    r = run("roadmap", "--project", str(project), *args)
    assert r.returncode != 0 and message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_roadmap_refuses_a_project_with_broken_references(tmp_path, sample):
    sample.measures[0].measure = "no_such_measure"
    project = tmp_path / "p.json"
    project.write_text(sample.to_json(), encoding="utf-8")
    r = run("roadmap", "--project", str(project), "--out", str(tmp_path / "r.pdf"))
    assert r.returncode == 1 and "no_such_measure" in r.stderr and not (tmp_path / "r.pdf").exists()


# --- what reaches the terminal ------------------------------------------------------------------

RED = "\x1b[31mRED\x1b[0m"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "\u202egpj.exe" shows as "exe.jpg"


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Өскемен", "Өскемен"),
        (RED, "\\x1b[31mRED\\x1b[0m"),
        (f"{RLO}gpj.exe", "\\u202egpj.exe"),
        ("two\nlines\ttab\rcr", "two\\nlines\\ttab\\rcr"),
        ("\x00\x07\x7f\x9b\x85", "\\x00\\x07\\x7f\\x9b\\x85"),  # NUL, BEL, DEL, CSI and NEL (C1)
        ("\u2066a\u2069 \u200f \u2028", "\\u2066a\\u2069 \\u200f \\u2028"),
        ("", ""),
    ],
)
def test_safe_shows_controls_and_bidi_as_escapes(text, shown):
    from policy_engine.cli import safe

    assert safe(text) == shown


def hostile_store(tmp_path, sample, monkeypatch):
    """A database with a project whose name and history carry terminal escapes, as an old database (or
    one written by another tool) may hold them whatever today's checks refuse."""
    from policy_engine.store.database import Store

    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = Store(url)
    store.create(sample, "Dana")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE project SET region_name = ?", (f"{RED} {RLO}Shygys",))
        conn.exec_driver_sql(
            "UPDATE project_version SET author = ?, note = ?", (f"{RLO}anaD", f"x\x1b]0;title\x07{RED}")
        )
    store.close()


def test_projects_list_and_history_print_no_terminal_controls(tmp_path, sample, monkeypatch, capsys):
    hostile_store(tmp_path, sample, monkeypatch)
    assert main(["projects", "list"]) == 0
    out = capsys.readouterr().out
    assert "\\x1b[31mRED\\x1b[0m \\u202eShygys" in out
    assert "\x1b" not in out and RLO not in out
    assert len(out.strip().splitlines()) == 3  # header, rule, one row: nothing broke the line
    assert main(["projects", "history", sample.id]) == 0
    out = capsys.readouterr().out
    assert "\\u202eanaD" in out and "x\\x1b]0;title\\x07" in out
    assert not any(ch in out for ch in ("\x1b", "\x07", RLO))
    assert main(["projects", "list", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and RLO not in out
    assert json.loads(out)[0]["region_name"] == f"{RED} {RLO}Shygys"  # the JSON still says exactly what is stored


def test_file_names_and_register_values_print_no_terminal_controls(tmp_path, capsys):
    missing = tmp_path / f"{RED}{RLO}nosj.json"
    assert main(["validate", str(missing)]) == 1
    err = capsys.readouterr().err
    assert "\\x1b[31mRED" in err and "\x1b" not in err and RLO not in err
    src = tmp_path / "reg.csv"
    src.write_text(f"code;municipality;employees\n59.11;{RED}Риддер;10\n59.11;Алтай;{RLO}5\n", encoding="utf-8")
    assert main(["register", str(src)]) == 0
    out = capsys.readouterr().out
    assert "\\x1b[31mRED\\x1b[0mРиддер" in out and "\\u202e5" in out
    assert "\x1b" not in out and RLO not in out


def test_register_takes_the_fns_register_with_its_head_count_file(tmp_path):
    from tests.diagnostics.registers.fixtures import SmeFirm, headcount_file, sme_file, zipped

    sme, empl = tmp_path / "data-sme.zip", tmp_path / "data-empl.zip"
    sme.write_bytes(
        zipped(
            [
                sme_file(
                    [
                        SmeFirm("5916000001", 1, 1, "59", "90.01", district=("РАЙОН", "КРАСНОКАМСКИЙ")),
                        SmeFirm("5916000004", 1, 2, "59", "47.11", city=("ГОРОД", "ПЕРМЬ")),
                        SmeFirm("591600000003", 2, 1, "59", "59.11", city=("ГОРОД", "ПЕРМЬ")),
                    ]
                )
            ]
        )
    )
    empl.write_bytes(zipped([headcount_file([("5916000001", 7), ("5916000004", 30)])], "VO_OTKRDAN3"))
    r = run("register", str(sme), str(empl), "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["format"] == "fns" and out["rows_used"] == 3
    cells = {(c["municipality"], c["industry"]): c for c in out["cells"]}
    film = cells[("Пермь", "cinema")]  # the sole trader: 1 + 0..15 hired
    assert (film["employees_low"], film["employees_high"]) == (1, 16)
    assert film["lq_low"] <= film["lq"] <= film["lq_high"] and isinstance(film["uncertain"], bool)
    r = run("register", str(sme), str(empl), "--no-headcount", "exclude")
    assert r.returncode == 0 and "Краснокамский район" in r.stdout and "cinema" not in r.stdout


def test_register_exits_1_when_no_row_could_be_used(tmp_path):
    src = tmp_path / "reg.csv"
    src.write_text("ОКВЭД;Район;Численность\nxx;Пермь;1\n;Кунгур;2\n", encoding="utf-8")
    r = run("register", str(src))
    assert r.returncode == 1 and "no row of the register could be used" in r.stderr
    assert "line 2" in r.stdout  # after saying why each row was not


def test_register_error_messages_quote_no_more_than_an_excerpt(tmp_path):
    src = tmp_path / "big.xml"
    src.write_bytes(b'<?xml version="1.0"?><root>' + b"<row>a value</row>" * 20000 + b"</root>")
    r = run("register", str(src))
    assert r.returncode == 1 and len(r.stderr) < 300 and "a value" not in r.stderr


def test_national_ranks_every_region_and_marks_the_projects(tmp_path):
    from tests.diagnostics.test_national import country

    paths = []
    for name, data in country():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    r = run("national", *paths, "--format", "json", "--region", "Пермский край")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["region"] == "Пермский край" and out["share"] == pytest.approx(30)
    assert [(x["rank"], x["region"]) for x in out["regions"]][:2] == [(1, "Свердловская область"), (2, "Пермский край")]
    r = run("national", *paths, "--region", "Пермский край")
    assert r.returncode == 0 and "> 2" in r.stdout
    r = run("national", *paths, "--region", "Тверская область")
    assert r.returncode == 1 and "no region named" in r.stderr
