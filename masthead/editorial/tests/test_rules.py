"""The rules on small stories: what each one reports, and what it leaves alone."""

from unittest import mock

import pytest

from masthead.editorial.engine import run_checks
from masthead.editorial.findings import BLOCKING, ERROR, WARNING
from masthead.editorial.lexicon import Lexicon
from masthead.editorial.newsroom import people_names
from masthead.editorial.rules import RULES
from masthead.editorial.rules.names import same_name, sound_alike
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


def test_sound_alike_spellings_share_a_jellyfish_key():
    assert sound_alike("Valek", "Vallek") and sound_alike("Valek", "Valeck")
    assert sound_alike("Casper", "Kasper") and sound_alike("Philipa", "Filipa")
    assert not sound_alike("Valek", "Korhan")


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Mellor", "Mellow", True),  # the variant is an English word
        ("Nuuk", "Nuk", True),  # a four-letter name
        ("Meron", "Mairon", True),  # two edits that sound alike: a vowel changed, one added
        ("Kasper", "Casper", True),  # first letters that sound alike
        ("Philipa", "Filipa", True),
        ("Iran", "Iraq", False),  # two words the dictionary knows
        ("Kurds", "Kurdish", False),  # endings
        ("Marevia", "Marevian", False),
        ("Meron", "Mirkan", False),
    ],
)
def test_same_name(one, other, same):
    assert same_name(one, other) is same


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


def names_of(story, lexicon=NEWSROOM):
    return {(f.rule, f.text, f.suggestion) for f in only("names", story, lexicon)}


def test_a_misspelt_word_inside_a_name_or_title_is_reported():
    # The failures, in our own words: capitalised words used to go to the names
    # check, which only compares words that are not common English.
    story = complete(
        paragraphs=[
            "Storms battered the Pacific Caost on Monday, and the High Cuort sat late.",
            "The Solicitor Gneral said the Harbour Raod would stay shut.",
        ]
    )
    found = {(f.rule, f.text, f.suggestion) for f in only("spelling", story)}
    assert found == {
        ("spelling.in_name", "Caost", "Coast"),
        ("spelling.in_name", "Cuort", "Court"),
        ("spelling.in_name", "Gneral", "General"),
        ("spelling.in_name", "Raod", "Road"),
    }


def test_people_beside_titles_are_names_not_misspellings():
    story = complete(
        paragraphs=[
            "President Recep Tayyip Erdogan met the designer Tim Gunn and Governor Oleg Brin.",
        ]
    )
    assert [f for f in only("spelling", story) if f.rule == "spelling.in_name"] == []


def test_a_surname_respelt_as_an_english_word_is_reported():
    story = complete(
        paragraphs=[
            "The inspector, Dana Mellor, visited the depot. Mellor said it was unsafe.",
            "Mellow said the report would be published.",
        ]
    )
    assert names_of(story) == {("names.inconsistent", "Mellow", "Mellor")}


def test_short_names_and_two_sound_alike_edits_are_reported():
    story = complete(
        paragraphs=[
            "Aid reached Nuuk on Monday. Jana Meron, who leads the mission, flew in.",
            "Meron said supplies in Nuk were low, and Mairon promised more.",
        ]
    )
    assert names_of(story) == {
        ("names.inconsistent", "Nuk", "Nuuk"),
        ("names.inconsistent", "Mairon", "Meron"),
    }


def test_sound_alike_first_letters_are_one_name():
    story = complete(
        paragraphs=[
            "Inspector Lena Kasper opened the hearing. Kasper asked for silence.",
            "Casper said it would last a week.",
        ]
    )
    assert names_of(story) == {("names.inconsistent", "Casper", "Kasper")}


def test_two_countries_and_a_people_are_not_one_name():
    story = complete(
        paragraphs=["The Iran–Iraq war ended in 1988.", "Kurds and Kurdish groups marched."]
    )
    assert names_of(story) == set()


def test_the_other_spelling_is_listed_where_it_occurs():
    story = complete(paragraphs=["Minister Irina Valek arrived.", "Later Vallek said no."])
    [finding] = only("names", story)
    assert [(p.field, p.text) for p in finding.others] == [("body.0", "Valek")]
    assert story.segment("body.0").text[finding.others[0].start : finding.others[0].end] == "Valek"


STAFF = Lexicon(
    canonical={"Marko", "Lind", "Irena", "Holm"}, **people_names(["Marko Lind", "Irena Holm"])
)


def test_a_surname_is_never_corrected_to_a_staffers_first_name():
    story = complete(
        paragraphs=[
            "The visiting official, Jan Marek, met the mayor.",
            "Marek said talks went well.",
        ],
        lead_image=LeadImage("Jan Marek at the town hall", "Marko Lind", "A man at a desk"),
    )
    assert names_of(story, STAFF) == set()


def test_one_full_name_is_never_corrected_to_another_persons():
    story = complete(paragraphs=["Rita Holme, a nurse, spoke first. Holme said beds were short."])
    assert names_of(story, STAFF) == set()


def test_a_staffers_misspelt_name_is_corrected_to_the_newsroom_spelling():
    story = complete(
        paragraphs=["Talks resumed."],
        lead_image=LeadImage("Delegates in Tesk", "Irena Holmm", "Delegates on steps"),
    )
    assert names_of(story, STAFF) == {("names.newsroom", "Holmm", "Holm")}
    story = complete(paragraphs=["Marko Lindt wrote the report."])
    assert names_of(story, STAFF) == {("names.newsroom", "Lindt", "Lind")}


def test_a_caption_title_is_compared_with_an_appositive_in_the_body():
    story = complete(
        paragraphs=[
            "The Assistant Commissioner for Roads, Petra Lund, said the bridge would reopen.",
            "Lund gave no date.",
        ],
        lead_image=LeadImage(
            "Commissioner Assistant Petra Lund at the bridge", "Ana Rivas", "A bridge"
        ),
    )
    [finding] = only("titles", story)
    assert (finding.rule, finding.field, finding.text) == (
        "titles.word_order",
        "lead_image_caption",
        "Commissioner Assistant",
    )
    assert finding.suggestion == "Assistant Commissioner for Roads"
    assert [(p.field, p.text) for p in finding.others] == [
        ("body.0", "Assistant Commissioner for Roads")
    ]


def test_titles_of_another_time_are_not_contradictions():
    story = complete(
        paragraphs=[
            "Former Prime Minister Ana Vidal, the current President of the Regional Council, spoke.",
        ]
    )
    assert only("titles", story) == []


def test_the_outlets_own_name_is_a_known_word():
    paragraphs = ["The figures were first published on nordvox.net on Monday."]
    assert [f.text for f in only("spelling", complete(paragraphs=paragraphs))] == ["nordvox"]
    story = complete(paragraphs=paragraphs, source="nordvox.net")
    assert only("spelling", story) == []
    site = complete(paragraphs=paragraphs, outlets=["Nordvox News"])
    assert only("spelling", site) == []


def test_the_outlet_named_in_the_source_is_the_spelling_to_follow():
    story = complete(paragraphs=["Nordvoks said the council refused."], source="Nordvox")
    assert names_of(story) == {("names.inconsistent", "Nordvoks", "Nordvox")}


def test_an_unknown_word_is_reported_once_with_its_other_places():
    story = complete(paragraphs=["The goverment met.", "Later the goverment spoke."])
    [finding] = only("spelling", story)
    assert (finding.field, [p.field for p in finding.others]) == ("body.0", ["body.1"])


def test_words_of_other_languages_species_and_handles_are_not_misspellings():
    story = complete(
        paragraphs=[
            'She said: "Siempre hemos dicho que esta decisión puede esperar."',
            "The sharks (Notorhynchus cepedianus) returned, @riverteam_alwayz posted.",
            'Rescuers were "[e]xtremely tired", a spokesman said, after 20 km.',
        ]
    )
    assert only("spelling", story) == []
