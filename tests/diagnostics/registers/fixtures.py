"""Register files built on the published structures of the registers officials hold, with invented firms.

FNS (Russia): the SME register and the head-count data set as FNS ships them — ZIP archives of one-line
UTF-8 XML files, `Файл` with `Документ` elements; element and attribute names as in the FNS open-data
files read by the public parser PavelSyomin/russian-sme-registry (utils/elements.py and its tests/data).
Nothing here is produced by the code under test.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr


@dataclass(frozen=True)
class SmeFirm:
    inn: str  # 10 digits for an organisation, 12 for a sole trader or farm head
    kind: int  # ВидСубМСП: 1 organisation, 2 sole trader, 3 farm head
    category: int  # КатСубМСП: 1 micro, 2 small, 3 medium
    region: str  # КодРегион
    okved: str
    district: tuple[str, str] | None = None  # (Тип, Наим)
    city: tuple[str, str] | None = None
    settlement: tuple[str, str] | None = None
    name: str = 'ООО "РОМАШКА"'


REGIONS = {"59": ("КРАЙ", "ПЕРМСКИЙ"), "66": ("ОБЛАСТЬ", "СВЕРДЛОВСКАЯ"), "77": ("ГОРОД", "МОСКВА")}


def _a(value: str) -> str:
    return quoteattr(value)


def sme_document(f: SmeFirm) -> str:
    head = (
        f'<Документ ИдДок={_a(str(uuid.uuid4()))} ДатаСост="10.06.2026" ДатаВклМСП="10.08.2019" '
        f'ВидСубМСП="{f.kind}" КатСубМСП="{f.category}" ПризНовМСП="2">'
    )
    if f.kind == 1:
        who = f"<ОргВклМСП НаимОрг={_a(f.name)} НаимОргСокр={_a(f.name)} ИННЮЛ={_a(f.inn)}/>"
    else:
        who = f'<ИПВклМСП ИННФЛ={_a(f.inn)}><ФИОИП Фамилия="ИВАНОВА" Имя="АННА" Отчество="ПЕТРОВНА"/></ИПВклМСП>'
    kind, name = REGIONS.get(f.region, ("ОБЛАСТЬ", f"ОБЛАСТЬ № {f.region}"))
    place = f'<СведМН КодРегион="{f.region}"><Регион Тип={_a(kind)} Наим={_a(name)}/>'
    for tag, value in (("Район", f.district), ("Город", f.city), ("НаселПункт", f.settlement)):
        if value:
            place += f"<{tag} Тип={_a(value[0])} Наим={_a(value[1])}/>"
    place += "</СведМН>"
    activity = (
        f'<СвОКВЭД><СвОКВЭДОсн КодОКВЭД={_a(f.okved)} НаимОКВЭД="Вид деятельности" ВерсОКВЭД="2014"/>'
        '<СвОКВЭДДоп КодОКВЭД="47.91" НаимОКВЭД="Торговля розничная по почте" ВерсОКВЭД="2014"/></СвОКВЭД>'
    )
    return head + who + place + activity + "</Документ>"


def sme_file(firms: list[SmeFirm]) -> bytes:
    ident = f"VO_RRMSPSV_0000_9965_20260610_{uuid.uuid4()}"
    body = "".join(sme_document(f) for f in firms)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Файл ИдФайл="{ident}" ВерсФорм="4.01" ТипИнф="РЕЕСТРМСП" '
        f'КолДок="{len(firms)}"><ИдОтпр><ФИООтв Фамилия="-" Имя="-"/></ИдОтпр>{body}</Файл>'
    ).encode()


def headcount_file(rows: list[tuple[str, int]]) -> bytes:
    ident = f"VO_OTKRDAN3_9965_9965_20260601_{uuid.uuid4()}"
    docs = "".join(
        f'<Документ ИдДок="{uuid.uuid4()}" ДатаДок="01.06.2026" ДатаСост="31.12.2025">'
        f'<СведНП НаимОрг="ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ &quot;ФИРМА&quot;" ИННЮЛ="{inn}"/>'
        f'<СведССЧР КолРаб="{n}"/></Документ>'
        for inn, n in rows
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Файл ИдФайл="{ident}" ВерсФорм="4.01" ВерсПрог="1.0" '
        f'ТипИнф="ОТКРДАННЫЕ3" КолДок="{len(rows)}"><ИдОтпр><ФИООтв Фамилия="_" Имя="_"/></ИдОтпр>{docs}</Файл>'
    ).encode()


def perm_register() -> tuple[bytes, bytes]:
    """A Perm krai register (and a firm of Sverdlovsk oblast) with its head-count file, as two ZIPs.

    Krasnokamsk's performing arts: 7 (a head count) + a micro firm of 0-15 = 7-22 (estimate 7 + 3.9) of
    the district's 17-32; LQ on the estimate 0.70, up to 1.03 inside the ranges: flagged."""
    krasnokamsk = ("РАЙОН", "КРАСНОКАМСКИЙ")
    firms = [
        SmeFirm("5916000001", 1, 1, "59", "90.01", district=krasnokamsk, settlement=("ПОСЕЛОК", "ОВЕРЯТА")),
        SmeFirm("5916000002", 1, 1, "59", "90.02", district=("район", "Краснокамский")),
        SmeFirm("5916000006", 1, 1, "59", "47.11", district=krasnokamsk),
        SmeFirm("5916000007", 1, 2, "59", "90.01", city=("ГОРОД", "ПЕРМЬ")),
        SmeFirm("591600000003", 2, 1, "59", "47.11", city=("ГОРОД", "ПЕРМЬ")),
        SmeFirm("6601000005", 1, 2, "66", "62.01", city=("ГОРОД", "ЕКАТЕРИНБУРГ")),
    ]
    heads = [("5916000001", 7), ("5916000006", 10), ("5916000007", 30)]
    return zipped([sme_file(firms[:3]), sme_file(firms[3:])]), zipped([headcount_file(heads)], "VO_OTKRDAN3")


def zipped(files: list[bytes], prefix: str = "VO_RRMSPSV") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, data in enumerate(files):
            z.writestr(f"{prefix}_{i:04d}.xml", data)
    return buf.getvalue()


# --- Kazakhstan: the statistical business register (stat.gov.kz) -----------------------------------
# A ZIP holding an XLSX: one title row, then the header of 22 columns A–V (the loader
# elessarelfstone/tcomextetl reads A:K and R:V with `skiptop: 2`; header names as the register prints them).
KZ_HEADER = [
    "БИН",
    "Толық атауы",
    "Полное наименование",
    "Дата регистрации",
    "ОКЭД",
    "Негізгі қызмет түрінің атауы",
    "Наименование основного вида деятельности",
    "Втор.ОКЭД",
    "КРП",
    "ККЖ атауы",
    "Наименование КРП",
    "КСЭ",
    "ЭСЖ атауы",
    "Наименование КСЭ",
    "КФС",
    "МНЖ атауы",
    "Наименование КФС",
    "КАТО",
    "Елді мекеннің атауы",
    "Наименование населенного пункта",
    "Заңды мекен-жайы, Юридический адрес",
    "Басшының ТАӘ, ФИО руководителя",
]


@dataclass(frozen=True)
class KzFirm:
    bin: str
    oked: str  # five digits
    krp: str  # КРП code
    kato: str  # 9 digits, the settlement
    place: str  # its name


def kz_workbook(firms: list[KzFirm], title: str = "Статистический регистр юридических лиц") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(KZ_HEADER)
    for f in firms:
        row = [""] * len(KZ_HEADER)
        row[0], row[1], row[2], row[3] = f.bin, '"Өрнек" ЖШС', 'ТОО "Орнек"', "12.03.2015"
        row[4], row[5], row[6], row[7] = f.oked, "Қызмет", "Деятельность", ""
        row[8], row[9], row[10] = f.krp, "Шағын кәсіпорындар", "Малые предприятия"
        row[17], row[18], row[19] = f.kato, f.place, f.place
        row[20], row[21] = "ВКО, ул. Абая, 1", "ИВАНОВ И. И."
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def kz_zip(workbook: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("sbr_juridical_2026.xlsx", workbook)
    return buf.getvalue()


# --- UK: NOMIS CSVs (UK Business Counts NM_141_1, BRES NM_189_1) -----------------------------------
# Column blocks as the NOMIS API writes them: X, X_NAME, X_CODE, X_TYPE, X_TYPECODE, X_SORTORDER per
# dimension, then MEASURES, MEASURES_NAME, OBS_VALUE, OBS_STATUS, OBS_STATUS_NAME, OBS_CONF, OBS_CONF_NAME,
# URN, RECORD_OFFSET, RECORD_COUNT.


def _block(name: str) -> list[str]:
    return [name, f"{name}_NAME", f"{name}_CODE", f"{name}_TYPE", f"{name}_TYPECODE", f"{name}_SORTORDER"]


TAIL = [
    "MEASURES",
    "MEASURES_NAME",
    "OBS_VALUE",
    "OBS_STATUS",
    "OBS_STATUS_NAME",
    "OBS_CONF",
    "OBS_CONF_NAME",
    "URN",
    "RECORD_OFFSET",
    "RECORD_COUNT",
]


def nomis_csv(dimensions: list[str], rows: list[dict[str, str]]) -> bytes:
    """rows: {"DATE": "2025", "GEOGRAPHY": ("Hartlepool", "E06000001"), "INDUSTRY": "5911 : Motion …",
    "EMPLOYMENT_SIZEBAND": "0 to 4", …, "OBS_VALUE": "5"}"""
    import csv

    header = [c for d in ["DATE", "GEOGRAPHY", *dimensions] for c in _block(d)] + TAIL
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for n, r in enumerate(rows):
        out = {c: "" for c in header}
        out.update(DATE=r.get("DATE", "2025"), DATE_NAME=r.get("DATE", "2025"), DATE_CODE=r.get("DATE", "2025"))
        geo_name, geo_code = r["GEOGRAPHY"]
        out.update(
            GEOGRAPHY_NAME=geo_name,
            GEOGRAPHY_CODE=geo_code,
            GEOGRAPHY_TYPE="local authorities: district / unitary (as of April 2023)",
        )
        for d in dimensions:
            out[f"{d}_NAME"] = r[d]
        out.update(
            MEASURES="20100",
            MEASURES_NAME=r.get("MEASURES_NAME", "Value"),
            OBS_VALUE=r["OBS_VALUE"],
            OBS_STATUS="A",
            OBS_STATUS_NAME="Normal Value",
            OBS_CONF="F",
            OBS_CONF_NAME="Free (free for publication)",
            URN=f"Nm-141d1d{n}",
            RECORD_OFFSET=str(n),
            RECORD_COUNT=str(len(rows)),
        )
        w.writerow([out[c] for c in header])
    return buf.getvalue().encode("utf-8")
