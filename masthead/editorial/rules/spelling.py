"""Spelling: words that are neither English nor in the newsroom's dictionary."""

from django.utils.translation import gettext as _

from ..findings import Finding
from ..lexicon import Lexicon, suggest
from ..story import Story
from ..text import Token, context, tokens

# A word this long is a pasted code, hash or URL fragment, not prose.
MAX_WORD = 30


def _parts(token: Token):
    """Yield the pieces of a hyphenated word with their own offsets."""
    offset = token.start
    for piece in token.text.split("-"):
        if piece:
            yield piece, offset
        offset += len(piece) + 1


def _starts_a_name(text: str, found, index: int) -> bool:
    """Return whether the capitalised word at ``index`` runs into another: 'Irina Valek'."""
    if index + 1 >= len(found):
        return False
    following = found[index + 1]
    return following.capitalised and not text[found[index].end : following.start].strip()


def check_spelling(story: Story, lexicon: Lexicon) -> list[Finding]:
    """Return a finding for each word that no dictionary knows, with the likeliest fix.

    Capitalised words in mid-sentence, in the headline, or opening a sentence as the
    first of several capitalised words are names; the name checks look after those.
    Any other capitalised word opening a sentence is only reported when it is close to
    a common English word and the story never uses it as a name.
    """
    findings = []
    segment_tokens = [(segment, tokens(segment.text)) for segment in story.segments]
    names = {
        piece
        for _segment, found in segment_tokens
        for token in found
        if token.capitalised and not token.sentence_start
        for piece, _offset in _parts(token)
    }
    known: dict[str, bool] = {}
    for segment, found in segment_tokens:
        for index, token in enumerate(found):
            if token.capitalised and (
                not token.sentence_start
                or segment.kind == "headline"
                or _starts_a_name(segment.text, found, index)
            ):
                continue
            for piece, start in _parts(token):
                word = piece.replace("’", "'")
                if word.lower().endswith("'s"):
                    if word[:1].isupper():
                        # A capitalised possessive is a name; the names check reads it.
                        continue
                    word = word[:-2]
                if len(word) < 2 or len(word) > MAX_WORD or word.isupper():
                    continue
                if word[:1].isupper() and (word in names or not word[1:].islower()):
                    continue
                if word not in known:
                    known[word] = lexicon.is_word(word)
                if known[word]:
                    continue
                suggestion = suggest(word)
                if word[:1].isupper():
                    if not suggestion:
                        continue
                    suggestion = suggestion.capitalize()
                end = start + len(word)
                findings.append(
                    Finding(
                        rule="spelling.unknown_word",
                        message=_("“%(word)s” is not in the dictionary.") % {"word": word},
                        field=segment.field,
                        text=word,
                        start=start,
                        end=end,
                        suggestion=suggestion,
                        context=context(segment.text, start, end),
                    )
                )
    return findings
