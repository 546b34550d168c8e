"""How a Glue crawler reads a CSV file: a custom CSV classifier, or Glue's built-in one.

A CSV classifier names the delimiter, the quote and whether files have a header line
(``PRESENT``, ``ABSENT`` or ``UNKNOWN``). With ``UNKNOWN``, and with the built-in classifier, Glue
takes the first line as the header only when it looks like one and the lines after it do not:
every value of the first line is text, a valid column name and (but for the last) shorter than
150 characters, and some value of the following lines parses as a number or a boolean. A file
whose values are all text (a list of stores, say) therefore gets columns ``col0``, ``col1``, ...
and its header line becomes a data row. The project's crawler declares ``PRESENT``
(:data:`CONTRACT_CSV`), as the contract's files all start with their header.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lakehouse.catalog.infer_schema import STRING, classify_value
from lakehouse.ingest.csv_sample import CsvSample

PRESENT, ABSENT, UNKNOWN = "PRESENT", "ABSENT", "UNKNOWN"
HEADER_CHOICES = (PRESENT, ABSENT, UNKNOWN)
#: Longest value of a header line Glue takes for a column name (the last one may be longer).
_NAME_LIMIT = 150
#: Characters of a Glue column name: its API's single-line string pattern.
_COLUMN_NAME = re.compile(r"[\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff\t]+")
Record = Sequence[str]


@dataclass(frozen=True)
class CsvFormat:
    """What a CSV classifier says of the files it reads.

    Attributes:
        delimiter: The character between values.
        quote: The character around values that hold a delimiter.
        contains_header: ``PRESENT``, ``ABSENT`` or ``UNKNOWN`` (Glue decides, as above).
        header: Column names to use instead of the file's own; empty to use the file's.
    """

    delimiter: str = ","
    quote: str = '"'
    contains_header: str = UNKNOWN
    header: tuple[str, ...] = ()

    def sample(self, records: Sequence[Record]) -> CsvSample:
        """The column names and data rows of a file's first ``records``, as Glue reads them.

        Names come from :attr:`header` when set, else from the header line when the file has
        one, else ``col0``, ``col1``, ... as wide as the widest record.
        """
        header_line = bool(records) and (
            self.contains_header == PRESENT
            or (self.contains_header == UNKNOWN and looks_like_header(records[0], records[1:]))
        )
        rows = tuple(tuple(record) for record in records[1 if header_line else 0 :])
        if self.header:
            names = self.header
        elif header_line:
            names = tuple(records[0])
        else:
            width = max((len(record) for record in records), default=0)
            names = tuple(f"col{index}" for index in range(width))
        return CsvSample(header=names, rows=rows, header_line=header_line)


#: The format of the contract's source files (CONTRACT.md section 1): comma, double quote, header.
CONTRACT_CSV = CsvFormat(contains_header=PRESENT)
#: Glue's built-in CSV classifier: the one a crawler uses when no custom classifier matches.
BUILT_IN_CSV = CsvFormat()


def looks_like_header(first: Record, rows: Sequence[Record]) -> bool:
    """Whether Glue's built-in CSV classifier takes ``first`` as the header over ``rows``."""
    if not first:
        return False
    names = list(first[:-1]) if len(first) > 1 and not first[-1] else list(first)
    if not all(
        _COLUMN_NAME.fullmatch(name)
        and classify_value(name) == STRING
        and (len(name) < _NAME_LIMIT or index == len(first) - 1)
        for index, name in enumerate(names)
    ):
        return False
    return any(classify_value(value) not in (None, STRING) for row in rows for value in row)


def classifier_input(name: str, csv_format: CsvFormat) -> dict[str, Any]:
    """The ``CsvClassifier`` of Glue's CreateClassifier and UpdateClassifier for ``csv_format``."""
    fields: dict[str, Any] = {
        "Name": name,
        "Delimiter": csv_format.delimiter,
        "QuoteSymbol": csv_format.quote,
        "ContainsHeader": csv_format.contains_header,
    }
    if csv_format.header:
        fields["Header"] = list(csv_format.header)
    return fields


def format_of(classifier: Mapping[str, Any]) -> CsvFormat:
    """The format of a Glue ``CsvClassifier`` (as GetClassifier answers it)."""
    return CsvFormat(
        delimiter=classifier.get("Delimiter") or ",",
        quote=classifier.get("QuoteSymbol") or '"',
        contains_header=classifier.get("ContainsHeader") or UNKNOWN,
        header=tuple(classifier.get("Header") or ()),
    )
