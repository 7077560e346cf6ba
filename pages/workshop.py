"""Workshop mode — the facilitator's side: questions opened one at a time, the code and QR code the room
joins with, the live board (results hidden until revealed), moderation of ideas, and the accepted result
taken into the project. The phones use the light page of policy_engine/web.py; the logic is in
policy_engine/workshop/ and policy_engine/store/workshops.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import segno
import streamlit as st

from pages.shared import (
    apply_edit,
    catalogue,
    get_store,
    grid,
    lang,
    plain,
    require_project,
    show_issues,
    sidebar,
    store_error_text,
    tr,
    tr_md,
)
from policy_engine.documents import charts
from policy_engine.method.vocabulary import IDEA_TARGETS, POINTS_TARGETS, QUESTION_KINDS
from policy_engine.store.database import Invalid, StoreError
from policy_engine.store.workshops import WorkshopStore
from policy_engine.workshop import accept, board, codes
from policy_engine.workshop.questions import items_for
from policy_engine.workshop.tally import agreed_and_divided

REFRESH_S = 3  # the live board's refresh


@st.cache_resource
def workshops() -> WorkshopStore:
    return WorkshopStore(get_store())


sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg, ws_store = catalogue(), lang(), workshops()
st.title(tr("nav.workshop"))
st.caption(tr("wsp.intro"))

try:
    existing = ws_store.workshops(project.id)
except StoreError as exc:
    st.error(store_error_text(exc))
    st.stop()

with st.expander(tr("wsp.new"), expanded=not existing):
    with st.form("ws_new", border=False, clear_on_submit=True):
        title = st.text_input(tr("wsp.title"), max_chars=200, key="ws_title")
        hours = st.number_input(tr("wsp.hours"), min_value=1, max_value=336, value=12, step=1, key="ws_hours")
        if st.form_submit_button(tr("wsp.create"), type="primary"):
            try:
                created = ws_store.create(project.id, title, hours=hours)
                st.session_state["ws_pick"] = created.id  # the new workshop is the one shown
                st.rerun()
            except Invalid as exc:
                show_issues(exc.issues)

if not existing:
    st.stop()
ids = [w.id for w in existing]
if st.session_state.get("ws_pick") not in ids:
    st.session_state["ws_pick"] = ids[0]
chosen = st.selectbox(
    tr("wsp.choose"),
    ids,
    format_func=lambda i: plain(next(w.title for w in existing if w.id == i)),
    key="ws_pick",
)
workshop = next(w for w in existing if w.id == chosen)
is_open = workshop.is_open(datetime.now(UTC))

# -- joining: code, QR code, address --
join_page, url = codes.join_addresses(st.context.url, ws_store.link(workshop.id), lg)
join_col, qr_col = st.columns([3, 2])
with join_col:
    if is_open:
        st.subheader(tr("wsp.join_here"))
        st.title(f"{workshop.code[:3]} {workshop.code[3:]}", anchor=False)  # the code's alphabet has no markup
        st.caption(tr_md("wsp.join_code", address=join_page))
        st.code(url, language=None)
        if codes.is_local(url):
            st.warning(tr("wsp.local_address"))
    else:
        st.warning(tr("wsp.over"))
with qr_col:
    if is_open:
        st.image(segno.make(url, error="m").svg_inline(scale=10, dark="#111", light="#fff"), width=420)

# -- questions --
questions = ws_store.questions(workshop.id)


def add_question_form() -> None:
    """Draft a question from the project's items (the engine says why there are none yet)."""
    with st.expander(tr("wsp.add_question"), expanded=not questions):
        kind = st.selectbox(
            tr("wsp.kind"), QUESTION_KINDS, format_func=lambda k: tr(f"ws.kind.{k}"), key=f"ws_kind_{lg}"
        )
        target = None
        per_level = False
        cluster = None
        if kind == "points":
            target = st.selectbox(
                tr("wsp.target"), POINTS_TARGETS, format_func=lambda x: tr(f"ws.target.{x}"), key=f"ws_pt_{lg}"
            )
            per_level = target == "measures" and st.checkbox(tr("wsp.per_level"), key="ws_per_level")
        elif kind == "ideas":
            target = st.selectbox(
                tr("wsp.target"), IDEA_TARGETS, format_func=lambda x: tr(f"ws.target.{x}"), key=f"ws_it_{lg}"
            )
            if target == "target_image":
                names = {c.id: plain(c.name) for c in project.clusters}
                cluster = st.selectbox(tr("wsp.cluster"), list(names), format_func=names.get, key="ws_cluster")
        question_title = st.text_input(
            tr("wsp.question_title"), value=tr(f"wsp.default.{kind}"), max_chars=500, key=f"ws_qt_{kind}_{lg}"
        )
        if st.button(tr("wsp.add"), key="ws_add_q"):
            items, issues = items_for(project, cat, kind, target, cluster)
            if issues:
                show_issues(issues)
            else:
                try:
                    ws_store.add_question(workshop.id, kind, question_title, items, target, per_level, cluster)
                    st.rerun()
                except Invalid as exc:
                    show_issues(exc.issues)


if is_open:  # an ended workshop takes no new questions
    add_question_form()

if not questions:
    st.info(tr("wsp.no_questions"))
    st.stop()
q_ids = [q.id for q in questions]
open_now = next((q.id for q in questions if q.state == "open"), None)
pick_key = f"ws_q_pick_{lg}"  # per language: labels in another language are another widget
if st.session_state.get(pick_key) not in q_ids:  # the open question first; then the facilitator's pick
    st.session_state[pick_key] = (
        st.session_state.get("ws_question") if st.session_state.get("ws_question") in q_ids else open_now or q_ids[0]
    )
picked = st.radio(
    tr("wsp.questions"),
    q_ids,
    format_func=lambda i: plain(board.question_label(next(q for q in questions if q.id == i), lg)),
    key=pick_key,
)
st.session_state["ws_question"] = picked
question = next(q for q in questions if q.id == picked)
with st.container(horizontal=True):
    if question.state != "open" and is_open and st.button(tr("wsp.open"), type="primary", key="ws_open"):
        ws_store.open_question(question.id)
        st.rerun()
    if question.state == "open" and st.button(tr("wsp.close"), key="ws_close"):
        ws_store.close_question(question.id)
        st.rerun()
    if st.button(tr("wsp.hide") if question.revealed else tr("wsp.reveal"), key="ws_reveal"):
        ws_store.reveal(question.id, not question.revealed)
        st.rerun()
    if is_open:
        with st.popover(tr("wsp.end")):
            st.caption(tr("wsp.end_warning"))
            if st.button(tr("wsp.end_confirm"), type="primary", key="ws_end"):
                ws_store.end(workshop.id)
                st.rerun()


@st.fragment(run_every=REFRESH_S)
def live_board(question_id: int) -> None:
    """The board: who joined, who answered, and — once revealed — the room's result and its split by role."""
    try:
        counts = ws_store.board(workshop.id)
        shown, result = ws_store.result(question_id)
    except StoreError as exc:
        st.error(store_error_text(exc))
        return
    joined = sum(counts.participants.values())
    answered = counts.answered.get(question_id, 0)
    metrics = st.columns(3)
    metrics[0].metric(tr("ws.board.joined"), joined)
    metrics[1].metric(tr("wsp.answered"), answered)
    metrics[2].metric(tr("wsp.state"), tr(f"ws.state.{shown.state}"))
    labels = board.chart_labels(shown, lg)
    if not shown.revealed:
        st.info(tr("wsp.hidden"))
        st.altair_chart(charts.workshop_joined(board.joined_rows(counts.participants, lg), labels), width="stretch")
        return
    if not result.participants:
        st.info(tr("wsp.no_answers"))
        return
    st.altair_chart(
        charts.workshop_results(board.result_rows(shown, result, lg), labels, board.SCALES.get(shown.kind)),
        width="stretch",
    )
    roles = board.role_rows(shown, result, lg)
    if roles:
        st.subheader(tr("wsp.by_role"))
        st.altair_chart(charts.workshop_roles(roles, labels, board.ROLE_SCALES.get(shown.kind)), width="stretch")
    agreed, divided = agreed_and_divided(result)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('wsp.agreed')}**")
        for r in agreed:
            st.text(f"{board.item_name(shown, r.item, r.label, lg)} — {board.consensus_text(r.consensus, lg)}")
    with right:
        st.markdown(f"**{tr('wsp.divided')}**")
        for r in divided:
            st.text(f"{board.item_name(shown, r.item, r.label, lg)} — {board.consensus_text(r.divide, lg)}")
        if not divided:
            st.caption(tr("wsp.none_divided"))


live_board(question.id)


# -- moderation of ideas --
@st.fragment(run_every=REFRESH_S)
def moderation(question_id: int) -> None:
    """New proposals arrive while the room writes: approve, hide or merge them before the room sees them.
    Folded by default, so a projector shows the proposals only when the facilitator opens it."""
    ideas = ws_store.ideas(question_id)
    pending = sum(i.status == "pending" for i in ideas)
    approved = {i.id: i.text for i in ideas if i.status == "approved"}
    with st.expander(tr("wsp.moderation_count", pending=pending, total=len(ideas))):
        for idea in ideas:
            with st.container(border=True):
                st.text(idea.text)
                st.caption(tr(f"ws.idea.{idea.status}"))
                with st.container(horizontal=True):
                    if idea.status != "approved" and st.button(tr("wsp.approve"), key=f"ws_ap_{idea.id}"):
                        ws_store.moderate(idea.id, "approved")
                        st.rerun()
                    if idea.status != "hidden" and st.button(tr("wsp.hide_idea"), key=f"ws_hi_{idea.id}"):
                        ws_store.moderate(idea.id, "hidden")
                        st.rerun()
                    targets = {k: v for k, v in approved.items() if k != idea.id}
                    if idea.status != "merged" and targets:
                        into = st.selectbox(
                            tr("wsp.merge_into"),
                            list(targets),
                            index=None,
                            placeholder=tr("wsp.merge_placeholder"),
                            format_func=lambda k, names=targets: plain(names[k])[:80],
                            key=f"ws_mi_{idea.id}_{lg}",
                        )
                        if into is not None and st.button(tr("wsp.merge"), key=f"ws_me_{idea.id}"):
                            try:
                                ws_store.moderate(idea.id, "merged", into)
                                st.rerun()
                            except Invalid as exc:
                                show_issues(exc.issues)


if question.kind == "ideas":
    st.subheader(tr("wsp.moderation"))
    moderation(question.id)

# -- into the project --
st.subheader(tr("wsp.accept_title"))
uses = accept.uses(question)
use = st.radio(tr("wsp.use"), uses, format_func=lambda u: tr(f"ws.use.{u}"), key=f"ws_use_{question.id}_{lg}")
start = end = None
top = 3
if use in ("pilots_added", "events_added"):
    cols = st.columns(3)
    top = cols[0].number_input(tr("wsp.top"), min_value=1, max_value=20, value=3, key="ws_top")
    start = cols[1].date_input(tr("pilots.col.start"), value=date.today(), format="DD.MM.YYYY", key="ws_start_date")
    end = cols[2].date_input(
        tr("pilots.col.end"), value=date.today() + timedelta(days=365), format="DD.MM.YYYY", key="ws_end_date"
    )
shown, result = ws_store.result(question.id)
ready = question.revealed and result.participants > 0
if not ready:
    st.caption(tr("wsp.accept_after_reveal"))
if st.button(tr("wsp.accept"), type="primary", key="ws_accept", disabled=not ready):
    edit = accept.accept(project, cat, workshop, shown, result, use, date.today(), lg, top=top, start=start, end=end)
    apply_edit(edit, note=accept.history_note(workshop, shown, use, lg))

# -- exports (after the reveal: the projector shows this page) --
st.subheader(tr("wsp.exports"))
ballot_rows = ws_store.ballot_rows(question.id, lg) if question.revealed else []
if not question.revealed:
    st.caption(tr("wsp.exports_after_reveal"))
elif ballot_rows:
    st.caption(tr("wsp.ballots"))
    grid(ballot_rows, key=f"ws_ballots_{question.id}", column_config=board.ballot_headers(shown, lg), hide_index=True)
    st.caption(tr("wsp.results"))
    rows, headers = board.result_table(shown, result, lg)
    grid(rows, key=f"ws_results_{question.id}", column_config=headers, hide_index=True)
else:
    st.caption(tr("wsp.no_answers"))
