"""Build gazetteer/common_words.txt: the 25,000 most frequent English words (wordfreq).

A one-word place name that is also a common English word ("Tall", "War", "Hit", "Bab")
is only read as a place when the text writes it with its Arabic article (al-Tall) or,
mid-sentence, exactly as one of the place's listed spellings. Run with wordfreq installed
(``pip install wordfreq``)::

    python scripts/build_common_words.py
"""

from __future__ import annotations

import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "gazetteer" / "common_words.txt"


def main() -> None:
    from wordfreq import top_n_list

    words = sorted({w for w in top_n_list("en", 25_000) if re.fullmatch(r"[a-z]{2,}", w)})
    OUT.write_text(
        "# The most frequent English words (wordfreq, top 25,000; MIT/CC BY-SA data).\n"
        "# Built by scripts/build_common_words.py.\n" + "\n".join(words) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {len(words)} words to {OUT}")


if __name__ == "__main__":
    main()
