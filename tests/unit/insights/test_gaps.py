"""Knowledge gaps grouped by meaning with the packaged MiniLM, FAQ drafts from the shop's own
index (var/index, built by `python -m bot kb build`), and fixed clusters leaving the list."""

from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from sqlalchemy.orm import Session

from bot.appdata import upgrade_app_database
from bot.appdata.knowledge_gaps import add_knowledge_gap
from bot.insights.gaps import (
    ClusterNotFound,
    cluster_new_gaps,
    draft_faq,
    mark_fixed,
    open_clusters,
)
from bot.knowledge.embedder import get_embedder
from bot.knowledge.retrieve import HybridRetriever
from bot.knowledge.service import load_retriever

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ASKED = [
    "Do you ship to Japan?",
    "Is there a loyalty program?",
    "Can you deliver to Japan?",
    "Do you sell gift cards?",
    "do you ship to japan",
    "Can I buy a gift card?",
]


@cache
def retriever() -> HybridRetriever:
    return load_retriever()


@pytest.fixture()
def session(app_engine):
    upgrade_app_database(app_engine)
    with Session(app_engine) as opened:
        yield opened


def ask(session: Session, questions: list[str]) -> None:
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    for minutes, question in enumerate(questions):
        add_knowledge_gap(session, question).created_at = start + timedelta(minutes=minutes)
    session.flush()


def test_questions_that_mean_the_same_share_a_cluster(session):
    ask(session, ASKED)

    assert cluster_new_gaps(session, get_embedder()) == 6
    assert cluster_new_gaps(session, get_embedder()) == 0

    found = [(c.label, c.size) for c in open_clusters(session)]
    assert found == [
        ("Do you ship to Japan?", 3),
        ("Do you sell gift cards?", 2),
        ("Is there a loyalty program?", 1),
    ]
    japan = open_clusters(session)[0]
    assert japan.examples == [
        "do you ship to japan",
        "Can you deliver to Japan?",
        "Do you ship to Japan?",
    ]
    assert (japan.first_seen.minute, japan.last_seen.minute) == (0, 4)


def test_a_fixed_cluster_leaves_the_list_and_takes_no_new_questions(session):
    ask(session, ASKED)
    cluster_new_gaps(session, get_embedder())
    japan = open_clusters(session)[0]

    mark_fixed(session, japan.id)
    ask(session, ["Can you send my parcel to Japan?"])
    cluster_new_gaps(session, get_embedder())

    labels = [(c.label, c.size) for c in open_clusters(session)]
    assert ("Do you ship to Japan?", 3) not in labels
    assert ("Can you send my parcel to Japan?", 1) in labels
    with pytest.raises(ClusterNotFound):
        mark_fixed(session, japan.id)


def test_a_draft_answer_comes_from_the_nearest_passages(session):
    ask(session, ["How much does shipping to the Netherlands cost?"])
    cluster_new_gaps(session, get_embedder())

    draft = draft_faq(session, open_clusters(session)[0].id, retriever(), get_embedder())

    assert draft.draft_question == "How much does shipping to the Netherlands cost?"
    assert "€3.95" in (draft.draft_answer or "")
    assert draft.draft_sources and all(s["id"] for s in draft.draft_sources)


def test_a_draft_stays_empty_where_no_passage_supports_it(session):
    ask(session, ["What is the airspeed velocity of an unladen swallow?"])
    cluster_new_gaps(session, get_embedder())

    draft = draft_faq(session, open_clusters(session)[0].id, retriever(), get_embedder())

    assert (draft.draft_answer, draft.draft_sources) == ("", [])
