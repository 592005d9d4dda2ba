"""NCT-1: the ways people say a document has a new Responsible Officer ("PP-014's RO is now Sam
Okafor from Monday", "I've handed PP-014 over to Sam"), read into the reference, the person and
when it takes effect."""

from __future__ import annotations

import re

_REF = r"[a-z]{2,6}[- ]?\d{1,5}"
_FROM = r"(\s+(from|starting|starting from|with effect from|as of|as from|wef)\s+(?P<when{n}>.+?))?[.!]*$"
_RO = r"(ro|responsible officer)"
RO_CHANGE = re.compile("|".join(form.replace("{from}", _FROM.replace("{n}", str(i))).replace("{n}", str(i))
                                 .replace("{ref}", _REF).replace("{ro}", _RO) for i, form in enumerate((
    r"^(?P<ref{n}>{ref})('s|\u2019s| has a| now has a)( new)? {ro}( is now| is| will be|:)\s+(?P<who{n}>.+?){from}",
    r"^(the )?(new )?{ro} (of|for|on) (?P<ref{n}>{ref}) (is now|is|will be|:)\s*(?P<who{n}>.+?){from}",
    r"^(i have |i've |i\u2019ve |we have |we've |we\u2019ve |i |we |please )?hand(ed)? (over )?(?P<ref{n}>{ref}) (over )?to (?P<who{n}>.+?){from}",
    r"^(please )?(change|set|make) the {ro} (of|for|on) (?P<ref{n}>{ref}) (to|as) (?P<who{n}>.+?){from}",
))))


# LBBD-3: an author appointed or changed ("make Sam Okafor the author of PP-047").
_AUTHOR = r"(author|writer|lead author)"
APPOINT_AUTHOR = re.compile("|".join(form.replace("{ref}", _REF).replace("{author}", _AUTHOR).replace("{n}", str(i))
                                     for i, form in enumerate((
    r"^(please )?(make|appoint|name|set) (?P<who{n}>.+?) (as )?(the |its )?(new )?{author} (of|for|on) (?P<ref{n}>{ref})[.!]*$",
    r"^(please )?(change|set) the {author} (of|for|on) (?P<ref{n}>{ref}) (to|as) (?P<who{n}>.+?)[.!]*$",
    r"^(the )?(new )?{author} (of|for|on) (?P<ref{n}>{ref}) (is|will be|should be|:)\s*(?P<who{n}>.+?)[.!]*$",
    r"^(?P<ref{n}>{ref})('s|\u2019s) (new )?{author} (is|will be|should be|:)\s*(?P<who{n}>.+?)[.!]*$",
    r"^(?P<who{n}>.+?) (is|will be|should be) (the )?(new )?{author} (of|for|on) (?P<ref{n}>{ref})[.!]*$",
))))
