"""The analyzer shared by chunks and questions (pure functions)."""
from __future__ import annotations

from rag.search.analysis import names_extract, terms_extract


def test_identifiers_are_indexed_whole_and_as_their_parts():
    assert terms_extract("CSRF_COOKIE_AGE") == ["csrf_cookie_age", "csrf", "cooki", "age"]
    assert terms_extract("select_related()") == ["select_related", "select", "relat"]
    assert terms_extract("django.db.models")[0] == "django.db.models"


def test_leading_dashes_are_not_part_of_an_option_name():
    assert terms_extract("--keepdb") == ["keepdb"]
    assert terms_extract("--no-imports") == ["no-imports", "import"]


def test_camel_case_names_also_give_their_words():
    assert terms_extract("MultipleObjectsReturned") == ["multipleobjectsreturned", "multipl", "object", "return"]
    assert terms_extract("Http404") == ["http404", "http", "404"]


def test_version_numbers_are_kept_whole_only():
    assert terms_extract("version 8.0.11") == ["version", "8.0.11"]


def test_thousands_separators_do_not_split_numbers():
    assert terms_extract("1,000,000 iterations") == terms_extract("1000000 iteration")


def test_stopwords_go_and_words_are_stemmed():
    assert terms_extract("Which of the imports are fetched?") == ["import", "fetch"]


def test_names_are_identifiers_inner_capitals_and_capitalised_words_inside_a_sentence():
    assert names_extract("Which Apache Kafka topic gets post_save?") == ["apach", "kafka", "post_save"]
    assert names_extract("What is SESSION_IDLE_TIMEOUT?") == ["session_idle_timeout"]
    assert names_extract("How do I enable TOTP two-factor login?") == ["totp"]
    assert names_extract("Where is the built-in GraphQL endpoint?") == ["graphql"]
    assert names_extract("How do signed-in users log out?") == []
