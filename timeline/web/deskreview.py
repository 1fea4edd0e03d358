"""The desk's review of an article: pasted or uploaded (text or HTML), read by the
extraction pipeline as ``POST /api/extract`` reads it, its candidates beside the text
with their date expressions marked; each accepted (as proposed or edited: an event at
once in the review's timeline, through the API's write path), rejected, or, when it
matches a stored event of that timeline, given as that event's source. Stateless: every
form carries the article, its timeline and what was decided."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, request

from timeline.events.problems import ProblemError
from timeline.extract.command import known_from_config
from timeline.extract.known import KnownDatesError
from timeline.extract.model import Candidate
from timeline.extract.pipeline import ExtractError, NoPublicationDateError, extract
from timeline.extract.store import mark_existing, store_gazetteer
from timeline.http import db
from timeline.store.accounts import writable_timelines
from timeline.store.models import Event, Timeline
from timeline.web import deskforms, deskwrite, i18n
from timeline.web.desk import (
    current_account,
    desk_url,
    render_desk,
    require_right,
    see_other,
    signed_in,
)
from timeline.web.deskarticle import html_text, looks_like_html, pieces
from timeline.web.deskevents import chosen_timeline, require_event_right
from timeline.web.deskforms import EventForm

log = logging.getLogger("timeline")
bp = Blueprint("desk_review", __name__, url_prefix="/desk/review")
LANGS = ("auto", "zh", "zh-Hant", "en")


@dataclass
class Article:
    """The article under review and what was decided: ``timeline``, the slug of the
    timeline its events go to ("": the first the account writes to); ``accepted`` maps
    a candidate's id to the event it became, ``rejected`` holds candidates' ids."""

    text: str = ""
    published: str = ""
    source: str = ""
    timeline: str = ""
    lang: str = "auto"
    accepted: dict[str, str] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)


def _article() -> Article:
    """The article of the posted form: an uploaded file (UTF-8 text or HTML) before the
    pasted text; HTML read into text; CRLF as LF."""
    form = request.form
    text = form.get("text", "")
    upload = request.files.get("file")
    source = form.get("source", "").strip()
    article = Article(source=source[:300])
    if upload is not None and upload.filename:
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            article.errors["file"] = [i18n.gettext("The file is not UTF-8 text.")]
        article.source = article.source or upload.filename[:300]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    article.text = html_text(text) if looks_like_html(text) else text
    article.published = form.get("published", "").strip()
    article.timeline = form.get("timeline", "")[:100]
    article.lang = form.get("lang", "auto") if form.get("lang") in LANGS else "auto"
    for pair in form.getlist("accepted"):
        candidate, _, event = pair.partition("=")
        if candidate and event:
            article.accepted[candidate] = event
    article.rejected = [c for c in form.getlist("rejected") if c]
    return article


def _extract(article: Article, timeline: Timeline) -> list[Candidate] | None:
    """The candidates of ``article``, each with ``existing`` set to a matching event of
    ``timeline`` (as /api/extract matches in the whole store); None with the errors in
    ``article.errors`` when it cannot be read."""
    day = None
    if article.published:
        try:
            day = dt.date.fromisoformat(article.published)
        except ValueError:
            article.errors["published"] = [i18n.gettext("Give the date as YYYY-MM-DD.")]
    if not article.text.strip():
        article.errors.setdefault("text", []).append(i18n.gettext("The article is empty."))
    if article.errors:
        return None
    session = db.get_session()
    try:
        known = known_from_config()
    except KnownDatesError:
        log.exception("known dates cannot be read")
        known = ()
    try:
        result = extract(
            article.text,
            published=day,
            lang=article.lang,  # type: ignore[arg-type]
            names=store_gazetteer(session),
            known=known,
            source=article.source,
        )
    except NoPublicationDateError:
        message = i18n.gettext("The article gives no date of its own: give its publication date.")
        article.errors["published"] = [message]
        return None
    except ExtractError as error:
        article.errors["text"] = [str(error)]
        return None
    if not article.published:
        article.published = result.published.isoformat()
    mark_existing(session, result.candidates, timeline=timeline.id)
    return result.candidates


def _form_of(candidate: Candidate, article: Article) -> EventForm:
    """The event form a candidate proposes: its title in its language, dates, precision,
    approximate flag, organizations, places, and the article as its source."""
    language = "en" if candidate.language == "en" else "zh"
    values = {
        f"title_{language}": candidate.title,
        "start": candidate.start,
        "end": candidate.end or "",
        "organizations": ", ".join(candidate.organizations),
        "location": ", ".join(candidate.places),
        "source_name": article.source,
        "source_published": article.published,
        "source_locator": candidate.locator,
        "source_when": candidate.when,
    }
    return EventForm(values, candidate.approximate, language, candidate.precision)


def _page(
    article: Article,
    candidates: list[Candidate] | None,
    status: int = 200,
    *,
    forms: dict[str, EventForm] | None = None,
    done: str | None = None,
) -> Response:
    """The review page: the article's text with its date expressions marked, beside its
    candidates (each a form, or what became of it); the start form when there are none."""
    account = current_account()
    assert account is not None
    if candidates is None:
        return render_desk(
            "desk/review_start.html",
            422 if article.errors else status,
            article=article,
            timelines=writable_timelines(db.get_session(), account),
            langs=LANGS,
        )
    forms = dict(forms or {})
    for candidate in candidates:
        forms.setdefault(candidate.id, _form_of(candidate, article))
    existing = {
        c.existing: db.get_session().get(Event, c.existing) for c in candidates if c.existing
    }
    return render_desk(
        "desk/review.html",
        status,
        article=article,
        candidates=candidates,
        pieces=pieces(article.text, candidates),
        forms=forms,
        existing=existing,
        keys={c.id: secrets.token_urlsafe(16) for c in candidates},
        done=done,
        languages=deskforms.FORM_LANGUAGES,
        precisions=deskforms.PRECISIONS,
    )


@bp.get("/")
@signed_in
def start() -> Response:
    """The form of an article to review: its text (pasted or a file), publication date,
    source, timeline (``?timeline=<slug>`` chosen first) and language."""
    return _page(Article(timeline=chosen_timeline(request.args.get("timeline")).slug), None)


@bp.post("/")
@signed_in
def review() -> Response:
    """Read the article and show its candidates beside it (the form again, 422, with
    the errors next to their fields when it cannot be read)."""
    article = _article()
    timeline = chosen_timeline(article.timeline)
    article.timeline = timeline.slug
    return _page(article, _extract(article, timeline))


@bp.get("/candidate")
@signed_in
def decide_again() -> Response:
    """A review's answer asked for again by GET (the language switch, a bookmark): the
    article is gone with the form, so to the start."""
    return see_other(desk_url("desk_review.start"))


@bp.post("/candidate")
@signed_in
def decide() -> Response:
    """Decide on one candidate (``action``): ``accept`` stores the form's event (the
    page again, 422, with the errors next to their fields when the API's validation
    refuses it), ``reject`` sets it aside, ``source`` makes the article the source of the
    stored event it matches. Then the review page again, with the decision shown."""
    article = _article()
    timeline = chosen_timeline(article.timeline)
    article.timeline = timeline.slug
    principal = require_right(timeline.id)
    candidates = _extract(article, timeline)
    if candidates is None:
        return _page(article, None)
    chosen = request.form.get("candidate", "")
    candidate = next((c for c in candidates if c.id == chosen), None)
    if candidate is None:
        abort(400, description=i18n.gettext("This candidate is not one of the article's."))
    action = request.form.get("action")
    if action == "reject":
        if chosen not in article.rejected:
            article.rejected.append(chosen)
        return _page(article, candidates, done=i18n.gettext("Rejected."))
    if action == "source" and candidate.existing:
        existing = db.get_session().get(Event, candidate.existing)
        assert existing is not None
        require_event_right(existing)
        source = {
            "name": article.source or i18n.gettext("Article of %(day)s", day=article.published),
            "published": article.published,
            "locator": candidate.locator,
            "when": candidate.when,
        }
        deskwrite.update(candidate.existing, {"source": source}, principal=principal,
                         sequence=None)  # fmt: skip
        return _page(article, candidates, done=i18n.gettext("The article is its source now."))
    if action != "accept":
        abort(400, description=i18n.gettext("Accept, reject or add as a source."))
    form = deskforms.read_form(request.form)
    body = deskforms.body_of(form)
    key = request.form.get("key") or None
    if form.errors:
        return _page(article, candidates, 422, forms={chosen: form})
    try:
        event, _ = deskwrite.create(body, principal=principal, timeline_id=timeline.id, key=key)
    except ProblemError as problem:
        if problem.status == 403:
            raise  # the rights changed meanwhile: the 403 page, nothing stored
        deskforms.put_errors(form, problem.errors or [{"pointer": "", "detail": problem.detail}])
        return _page(article, candidates, 422, forms={chosen: form})
    article.accepted[chosen] = event.id
    return _page(article, candidates, done=i18n.gettext("Added: %(title)s", title=event.title))
