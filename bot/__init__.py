"""claim-review: review pull requests that add markdown claims to a knowledge base."""

__version__ = "0.1.0"

# Where each rule's documentation lives; review comments and SARIF results link here.
DOCS_URL = "https://github.com/claim-review/claim-review/blob/main/docs/rules.md"


def rule_url(name: str) -> str:
    return f"{DOCS_URL}#{name}"
