"""Genius Loci — the Streamlit entry point.

Until the wizard lands (issue 6) this is one page: the method's typology applied to every
creative industry, with the engine's explanation of each decision. All logic is in policy_engine.
"""

from __future__ import annotations

import streamlit as st

from policy_engine.catalogue import default_catalogue
from policy_engine.rules import classify_all, decision_record
from policy_engine.store import Store


@st.cache_resource
def get_store() -> Store:
    """One store (engine and pool) per server process, shared by all sessions; see PITFALLS §2."""
    return Store()


st.set_page_config(page_title="Genius Loci", page_icon="🧭", layout="wide")

LANG_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
lang = st.sidebar.radio("Язык / Тіл / Language", list(LANG_NAMES), format_func=LANG_NAMES.get, key="lang")
country = st.sidebar.radio("Country", ["RU", "KZ"], key="country",
                           format_func=lambda c: default_catalogue().country(c).name.get(lang))

catalogue = default_catalogue()
projects = get_store().list_projects()
st.sidebar.caption(f"Projects in the store: {len(projects)}")
for p in projects:
    st.sidebar.markdown(f"- `{p.id}` — {'🔒' if p.protected else p.region_name}, cycle {p.cycle}, v{p.head_version}")

st.title("Genius Loci")
st.caption("Creative industries by significance of local identity (method paper 002, Fig. 1)")

records = [decision_record(d, catalogue, lang, country) for d in classify_all(catalogue)]
st.dataframe(
    [{"industry": r["name"], "significance": catalogue.rules.group(r["significance"]).name.get(lang),
      "levels": ", ".join(r["level_names"]), "measures": len(r["measures"])} for r in records],
    hide_index=True, width="stretch",
)
for r in records:
    with st.expander(r["name"]):
        for line in r["explanation"]:
            st.markdown(f"- {line}")
