"""Extract dated control events from an article. Pure: no files, no folium, no database.

Modules: :mod:`~geomap.events.actors` (the actor lexicon), :mod:`~geomap.events.templates`
(sentences as templates), :mod:`~geomap.events.grammar` (the rules) and
:mod:`~geomap.events.extract` (rules applied: subjects, dates, statuses).

How it works, sentence by sentence:

1. Place mentions (from the gazetteer) and actor mentions (from the actor lexicon) are
   replaced by placeholders, giving a *template* such as
   ``⟪A0⟫ has fully recaptured the historic town of ⟪P1⟫ from ⟪A2⟫``. Descriptions such as
   "the base" or "a military airport in the city of X" become place placeholders too,
   resolved to the place they refer to.
2. Each rule in :data:`RULES` is a regular expression over templates. A match gives the
   event kind, the actor, the place and, through named groups, the previous holder, a
   besieger or a distance. Every event records the rule that made it.
3. The sentence's date expressions (see :mod:`geomap.dates`) date the event; a sentence
   with none takes the dispatch's date. Claims, denials and negations set the status.

Airstrikes change nothing; intentions ("seeking to capture", "a bid to retake") are not
events; a place named only in a dateline or as the reporter's location is not an event
place.
"""

from geomap.events.actors import ActorLexicon, lexicon_for
from geomap.events.extract import NUMBER_WORDS, extract_events, to_km
from geomap.events.grammar import RULES, Rule, lower_pattern
from geomap.events.templates import SentenceTemplate, Slot, iter_templates, split_sentences

__all__ = [
    "NUMBER_WORDS",
    "RULES",
    "ActorLexicon",
    "Rule",
    "SentenceTemplate",
    "Slot",
    "extract_events",
    "iter_templates",
    "lexicon_for",
    "lower_pattern",
    "split_sentences",
    "to_km",
]
