"""Columns several tables of the contract share, defined once: a table that holds one of them
uses it from here, so its name, type, description and reference cannot drift apart."""

from __future__ import annotations

from forcepack.contract.types import Column, Reference, S

CRIME_REF = Column(
    "crime_id", S, "Crime reference", nullable=False, references=Reference("crimes", "crime_id")
)
VICTIM_ID = Column(
    "victim_id", S, "Pseudonymous person id of the victim", nullable=False, personal=True
)
