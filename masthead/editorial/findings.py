"""What a check reports: one finding per problem, pointing at the exact words."""

from dataclasses import asdict, dataclass, replace

CHECKS = ("spelling", "names", "titles", "mechanics", "completeness")
OFF, WARNING, BLOCKING = "off", "warning", "blocking"
LEVELS = (OFF, WARNING, BLOCKING)
# A rule that crashed reports itself with this severity; it never blocks.
ERROR = "error"


@dataclass(frozen=True)
class Place:
    """Where the other spelling or title of a finding occurs, so the editor sees both."""

    field: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    field: str
    text: str = ""
    start: int = 0
    end: int = 0
    suggestion: str = ""
    severity: str = WARNING
    context: str = ""
    # The other spelling's (or the earlier title's) occurrences in the story.
    others: tuple[Place, ...] = ()

    @property
    def check(self) -> str:
        return self.rule.split(".", 1)[0]

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING

    def with_severity(self, severity: str) -> "Finding":
        return replace(self, severity=severity)

    def as_dict(self) -> dict:
        return {**asdict(self), "check": self.check}
