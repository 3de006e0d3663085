"""Folding, stemming and query parsing: the rules shared by indexing and querying."""

from masthead.search.query import MAX_TERMS, parse
from masthead.search.text import fold, index_text, terms


def test_fold_removes_accents_and_maps_letters_that_are_not_accents():
    assert fold("Azərbaycan") == "azerbaycan"
    assert fold("İstanbul Bakı Łódź Øresund Straße Zoë Ferrández") == (
        "istanbul baki lodz oresund strasse zoe ferrandez"
    )


def test_terms_are_the_same_for_accented_and_plain_spellings():
    assert terms("Azərbaycan") == terms("Azerbaycan") == ["azerbaycan"]
    assert terms("Şehrizadə") == terms("sehrizade")


def test_terms_are_english_stems():
    assert terms("talks negotiations flooding") == terms("talk negotiate flooded")
    assert index_text("Minsk Group talks", "") == "minsk group talk"


def test_parse_keeps_phrases_and_drops_common_words():
    parsed = parse('Marevia "Bank of Marevia" the OR talks')
    assert parsed.terms == ["marevia", "talk"]
    assert parsed.phrases == [["bank", "of", "marevia"]]


def test_parse_turns_syntax_into_words_or_nothing():
    assert not parse('*  " ( ) - [ ] { } : ^ ')
    assert parse("NEAR(Varsk*)").terms == ["near", "varsk"]
    assert parse("'; DROP TABLE x; --").terms == ["drop", "tabl", "x"]
    assert parse("only the").terms == ["onli"]


def test_parse_bounds_long_queries():
    parsed = parse(" ".join(f"word{i}" for i in range(5000)))
    assert len(parsed.terms) == MAX_TERMS
    assert parse("x" * 10_000).terms == ["x" * 300]


def test_engine_expressions_quote_every_term():
    parsed = parse('grain "Varsk crossing"')
    assert parsed.fts5() == '{title body} : ("grain" AND "varsk cross")'
    assert parsed.tsquery() == "grain & (varsk <-> cross)"
