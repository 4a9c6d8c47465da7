"""Plan the election of a treaty body's bureau, each body described by a profile (the UNTOC
Conference of the Parties, rule 22, first)."""

__version__ = "0.1.0"
