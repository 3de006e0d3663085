"""The rules on small stories: what each one reports, and what it leaves alone."""

from unittest import mock

import pytest

from masthead.editorial.engine import run_checks
from masthead.editorial.findings import BLOCKING, ERROR, WARNING
from masthead.editorial.lexicon import Lexicon
from masthead.editorial.phonetic import phonetic_key
from masthead.editorial.rules import RULES
from masthead.editorial.story import LeadImage, build_story, story_from_text

NEWSROOM = Lexicon(canonical={"Irina", "Valek", "Tesk", "Marevia", "Dastan", "Adrel", "Tomas"})


def complete(headline="Talks resume in Tesk", paragraphs=(), **fields):
    values = {
        "standfirst": "Ministers meet again.",
        "source": "",
        "authors": ["Mira Castellan"],
        "section": "News",
        "topics": ["Energy"],
        "has_lead_image": True,
        "lead_image": LeadImage("Delegates in Tesk", "Ana Rivas", "Delegates on steps"),
    }
    values.update(fields)
    return build_story(headline, list(paragraphs), **values)


def rules_of(findings):
    return [f.rule for f in findings]


def only(check, story, lexicon=NEWSROOM):
    return RULES[check](story, lexicon)


def test_spelling_reports_the_word_with_offsets_and_a_fix():
    story = complete(paragraphs=["The goverment said talks would resume."])
    [finding] = only("spelling", story)
    assert (finding.field, finding.text, finding.suggestion) == (
        "body.0",
        "goverment",
        "government",
    )
    assert story.segment("body.0").text[finding.start : finding.end] == "goverment"


def test_spelling_accepts_british_forms_names_and_the_word_list():
    story = complete(
        paragraphs=[
            "The harbour programme was organised by the labour centre in Tesk.",
            "Officials from Kolvenia discussed the interconnector.",
        ]
    )
    assert rules_of(only("spelling", story)) == ["spelling.unknown_word"]
    lexicon = Lexicon(words={"interconnector"}, canonical=NEWSROOM.canonical)
    assert only("spelling", story, lexicon) == []


def test_spelling_does_not_accept_a_slip_that_looks_british():
    story = complete(paragraphs=["The deal collapsed aftre a dispute."])
    assert [f.text for f in only("spelling", story)] == ["aftre"]


def test_names_in_the_story_spelt_two_ways():
    story = complete(
        paragraphs=[
            "Minister Irina Valek arrived on Monday. Valek met officials.",
            "Later Vallek said the talks had gone well.",
        ]
    )
    [finding] = only("names", story)
    assert (finding.rule, finding.text, finding.suggestion) == (
        "names.inconsistent",
        "Vallek",
        "Valek",
    )


def test_names_spelt_unlike_the_newsroom():
    story = complete(paragraphs=["Delegates flew to Dastann on Monday and left Dastann on Friday."])
    findings = only("names", story)
    assert {(f.rule, f.text, f.suggestion) for f in findings} == {
        ("names.newsroom", "Dastann", "Dastan")
    }
    assert len(findings) == 2


def test_names_leave_endings_and_unrelated_names_alone():
    story = complete(
        paragraphs=[
            "The Marevian delegation and Dastani officials met in Marevia and Dastan.",
            "Oskar Tamm and Greta Lindqvist, residents of Tesk, were there.",
        ]
    )
    assert only("names", story) == []


def test_phonetic_key_groups_sound_alike_spellings():
    assert phonetic_key("Valek") == phonetic_key("Vallek") == phonetic_key("Valeck")
    assert phonetic_key("Valek") != phonetic_key("Korhan")


def test_titles_in_a_different_word_order():
    story = complete(
        paragraphs=[
            "Foreign Minister Irina Valek arrived on Monday.",
            "Irina Valek, Minister of Foreign Affairs, said the talks went well.",
        ]
    )
    [finding] = only("titles", story)
    assert finding.rule == "titles.word_order"
    assert finding.text == "Minister of Foreign Affairs"
    assert finding.suggestion == "Foreign Minister"


def test_titles_two_different_jobs_but_short_forms_pass():
    story = complete(
        paragraphs=[
            "Interior Minister Tomas Adrel spoke first.",
            "Tomas Adrel, the minister, then left. Tomas Adrel, Justice Minister, returned.",
        ]
    )
    [finding] = only("titles", story)
    assert (finding.rule, finding.text) == ("titles.different", "Justice Minister")


@pytest.mark.parametrize(
    ("paragraphs", "rule", "text"),
    [
        (["Talks resumed in the the capital."], "mechanics.repeated_word", "the the"),
        (["The minister (who arrived late said nothing."], "mechanics.unbalanced_brackets", "("),
        (["“We will not sign this deal, she said."], "mechanics.unbalanced_quotes", "“"),
        (
            ["“We will not sign a deal that leaves our harbour empty.” The hall fell silent."],
            "mechanics.unattributed_quote",
            "“We will not sign a deal that leaves our harbour empty.”",
        ),
        (["Talks began on 3 March and ended on March 9."], "mechanics.date_style", "March 9"),
        (
            ["Prices rose 4 per cent, then 5 per cent, then 6%."],
            "mechanics.number_style",
            "6%",
        ),
        (["About 12,000 people marched and 3000 watched."], "mechanics.number_style", "3000"),
    ],
)
def test_mechanics(paragraphs, rule, text):
    findings = only("mechanics", complete(paragraphs=paragraphs))
    assert [(f.rule, f.text) for f in findings] == [(rule, text)]


def test_mechanics_repeated_paragraph_and_attributed_quotes_pass():
    text = "Officials said the plan would cost about 480 million over three years."
    story = complete(
        paragraphs=[text, "“We will not sign a deal that leaves us poor,” Valek said.", text]
    )
    assert [(f.rule, f.field) for f in only("mechanics", story)] == [
        ("mechanics.repeated_paragraph", "body.2")
    ]


def test_completeness_reports_each_missing_part():
    story = complete(
        headline="A headline that goes on and on well past what a search result page can show",
        standfirst="",
        source="",
        authors=[],
        topics=[],
        lead_image=LeadImage("", "", ""),
    )
    assert sorted(rules_of(only("completeness", story))) == [
        "completeness.alt_text",
        "completeness.caption",
        "completeness.credit",
        "completeness.headline_length",
        "completeness.source",
        "completeness.standfirst",
        "completeness.topic",
    ]
    assert only("completeness", complete()) == []


def test_levels_turn_checks_off_or_make_them_blocking():
    story = complete(paragraphs=["The goverment met in the the capital."])
    findings = run_checks(story, NEWSROOM, {"spelling": BLOCKING, "mechanics": "off"})
    assert [(f.rule, f.severity) for f in findings] == [("spelling.unknown_word", BLOCKING)]


def test_a_failing_rule_reports_itself_and_never_blocks():
    story = complete(paragraphs=["The goverment met."])
    broken = {**RULES, "names": mock.Mock(side_effect=RuntimeError("boom"))}
    with mock.patch("masthead.editorial.engine.RULES", broken):
        findings = run_checks(story, NEWSROOM, {"names": BLOCKING})
    assert ("names.internal_error", ERROR) in [(f.rule, f.severity) for f in findings]
    assert ("spelling.unknown_word", WARNING) in [(f.rule, f.severity) for f in findings]
    assert not any(f.blocking for f in findings)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "\n\n\n",
        "Заголовок новости\n\nМинистр Ирина Валек прибыла в Теск. 外交部长 arrived; Valek said «да».",
        "<html><body><h1>Valek in Tesk</h1><script>var x = 'goverment';</script>"
        "<p>The <b>goverment</b> met &amp; talked.</p><p>Unclosed <i>tag</body>",
        "Headline\n" + "\x00\ufffd\u200b" * 50,
    ],
)
def test_bad_input_is_checked_without_error(raw):
    story = story_from_text(raw)
    findings = run_checks(story, NEWSROOM)
    assert not [f for f in findings if f.rule.endswith("internal_error")]


def test_pasted_html_is_checked_as_text():
    story = story_from_text(
        "<h1>Valek in Tesk</h1><script>var goverment;</script><p>The <b>goverment</b> met.</p>"
    )
    assert story.headline == "Valek in Tesk"
    [finding] = only("spelling", story)
    assert finding.text == "goverment"
    assert story.segment(finding.field).text == "The goverment met."


def test_a_100000_word_story_is_checked_without_error():
    paragraph = (
        "Foreign Minister Irina Valek said on 3 March that the goverment would publish "
        "the terms, and about 12,000 people in Tesk were waiting for them. "
    ) * 5
    story = complete(paragraphs=[paragraph] * 800)
    assert story.word_count >= 100_000
    findings = run_checks(story, NEWSROOM)
    assert not [f for f in findings if f.rule.endswith("internal_error")]
    assert "spelling.unknown_word" in rules_of(findings)


def test_text_file_header_lines_fill_fields():
    story = story_from_text(
        "Talks resume\nStandfirst: Ministers meet again.\nSource: Sarvan Press Agency\n"
        "Topics: Energy, Marevia\nCaption: Delegates\nCredit:\nAlt: Delegates on steps\n\n"
        "First paragraph.\n\nSecond paragraph."
    )
    assert story.standfirst == "Ministers meet again."
    assert story.topics == ["Energy", "Marevia"]
    assert [s.text for s in story.paragraphs] == ["First paragraph.", "Second paragraph."]
    assert rules_of(only("completeness", story)) == ["completeness.credit"]
