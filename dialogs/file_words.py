"""The help lines for the words that send files ("draft case 4", "compare PP-1 version 1 with 2")."""

from __future__ import annotations

from dialogs.commands import Command, _c

# Help-only lines: these words send files, so bot/handler.py (PolicyBot._file_words, the one reader of
# them) answers them before the router; they are not in TABLE, so the recogniser neither learns nor
# dispatches them. `help` lists them beside the command table.
FILE_WORDS: tuple[Command, ...] = (
    _c("file.draft", "the draft under decision on a case, as a file you can open", "help", [],
       say="draft case {case}", group="Cases"),
    _c("file.my_draft", "the draft of the one case waiting for you", "help", [], say="send me the draft", group="Cases"),
    _c("file.compare", "what changed between two drafts, with a redline in Word", "help", [],
       say="compare {doc} version {n} with {m}", group="Cases"),
)
