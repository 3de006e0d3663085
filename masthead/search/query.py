"""Turn what a reader typed into engine-safe full-text queries.

Reader input never reaches the engine's query syntax: it is folded and split into
plain ASCII terms (masthead.search.text), so quotes, ``*``, ``NEAR``, ``OR``, brackets,
``-`` and SQL fragments are just words. Double quotes mark a phrase, as in Wagtail's
``parse_query_string``.
"""

from dataclasses import dataclass, field

from .text import STOPWORDS, terms

MAX_QUERY_CHARS = 300
MAX_TERMS = 12


@dataclass
class ParsedQuery:
    """Required terms and phrases (each a list of terms), all folded and stemmed."""

    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)

    @property
    def all_terms(self) -> set[str]:
        """Return every term of the query, for highlighting."""
        return {*self.terms, *(t for phrase in self.phrases for t in phrase)}

    def fts5(self) -> str:
        """Return an SQLite FTS5 MATCH expression over the title and body columns."""
        parts = [f'"{t}"' for t in self.terms]
        parts += ['"' + " ".join(phrase) + '"' for phrase in self.phrases]
        return "{title body} : (" + " AND ".join(parts) + ")"

    def proximity(self) -> "ParsedQuery | None":
        """Return the plain terms as one phrase, to favour stories that use them together."""
        if len(self.terms) < 2:
            return None
        return ParsedQuery(phrases=[list(self.terms)])

    def tsquery(self) -> str:
        """Return a PostgreSQL ``to_tsquery`` expression."""
        parts = list(self.terms)
        parts += ["(" + " <-> ".join(phrase) + ")" for phrase in self.phrases]
        return " & ".join(parts)


def parse(raw: str) -> ParsedQuery:
    """Return the terms and phrases of a reader's query; an empty query for nothing usable."""
    raw = (raw or "")[:MAX_QUERY_CHARS]
    parsed = ParsedQuery()
    budget = MAX_TERMS
    for index, part in enumerate(raw.split('"')):
        part_terms = terms(part)
        if not part_terms:
            continue
        # Odd-numbered parts lie between quotes; an unclosed quote runs to the end.
        if index % 2 == 1 and len(part_terms) > 1:
            phrase = part_terms[:budget]
            budget -= len(phrase)
            if len(phrase) > 1:
                parsed.phrases.append(phrase)
            elif phrase:
                parsed.terms.append(phrase[0])
        else:
            for term in part_terms:
                if budget <= 0:
                    break
                if term not in parsed.terms:
                    parsed.terms.append(term)
                    budget -= 1
        if budget <= 0:
            break
    content = [t for t in parsed.terms if t not in STOPWORDS]
    if content or parsed.phrases:
        parsed.terms = content
    return parsed
