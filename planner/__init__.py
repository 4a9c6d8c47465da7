"""Plan the election of the bureau of a treaty conference (UNTOC COP, rule 22)."""

__version__ = "0.1.0"
