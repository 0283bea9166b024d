"""What the commands print for other programs: JSON on standard output, the same way everywhere."""

from __future__ import annotations

import json
import sys


def print_json(data: object) -> None:
    """``data`` as indented JSON with Chinese kept as written (not ``\\u`` escapes), ending with a newline."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
