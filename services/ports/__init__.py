"""The ports: what the use cases need from the world, declared as Protocols, and the records that
cross them. `store/` and `connectors/` implement these; `bot/bootstrap.py` wires real or fake
adapters; `tests/service/fakes/` holds the fakes. Nothing here does I/O.

One module per capability: `clock`; `delivery` (the Notice, the outbox item, Teams, mail, the notice
renderer); `uow` (the unit of work); `repositories` (people, documents, cases, what is due, audit); `cases` (the records the lifecycle reads); `meetings` (decision
bodies' meetings); `register` (assets, imports, ownership flags, snapshots); `outbox` (the outbox's,
the key-values' and the scheduler lease's repositories); `conversations` (conversation references,
misunderstandings and answers given); `directory` (people from outside, spreadsheets); `documents` (Word
drafts, stored files); `manual` (the procedures manual, its index and the index's repository). This package is the public face: import from `services.ports`, never from its modules.
"""

from services.ports.cases import CaseRecord, CaseSnapshot, DocumentRecord, DocumentSnapshot, PersonRecord, PersonSnapshot
from services.ports.clock import Clock
from services.ports.delivery import (
    Attachment,
    Email,
    MailTransport,
    Notice,
    NoticeKind,
    NoticeRenderer,
    OutboxItem,
    PermanentSendError,
    PersonFacts,
    SendError,
    SentActivity,
    TeamsChat,
    TeamsSender,
    TransientSendError,
)
from services.ports.directory import (
    DirectoryEntry,
    DirectorySource,
    PeopleFileReader,
    Sheet,
    SpreadsheetReader,
    Workbook,
)
from services.ports.documents import (
    Change,
    ChangeKind,
    ChangeSummary,
    DocxInspector,
    DraftFacts,
    FileStore,
)
from services.ports.meetings import (
    ActionRecord,
    AgendaItemRecord,
    AttendanceRecord,
    MeetingRecord,
    MeetingRepository,
    MinutesRecord,
    PlanEntryRecord,
    ReportRecord,
)
from services.ports.manual import (
    Amendment,
    AmendmentRecord,
    ChapterIndexRow,
    ChapterLightRow,
    ChapterPage,
    ChapterRecord,
    Concept,
    IndexHitRecord,
    ManualGeneration,
    ManualRepository,
    ManualSearchIndex,
    Phrase,
    RegisterSearchRow,
    SyncRunRecord,
    ManualPassage,
    CrawlConfig,
    CrawlResult,
    ManualProgress,
    ManualSource,
    PageFailure,
    Validators,
)
from services.ports.conversations import (
    AnswerRecord,
    AnswerRepository,
    ConversationRecord,
    ConversationRepository,
    MisunderstoodRepository,
)
from services.ports.outbox import (
    KeyValueRepository,
    LeaseRecord,
    LeaseRepository,
    OutboxRepository,
    OutboxRow,
    SweepRunRecord,
)
from services.ports.register import (
    AssetLinkRecord,
    AssetRecord,
    ImportRunRecord,
    OwnershipFlagRecord,
    RegisterRepository,
    SnapshotRecord,
)
from services.ports.repositories import (
    AuditRecord,
    AuditRepository,
    CaseRepository,
    DocumentRepository,
    DraftRecord,
    DueRepository,
    PeopleRepository,
    PersonContact,
    ReportRow,
    SentCardRecord,
)
from services.ports.uow import ConcurrencyConflict, NoticeWriter, UnitOfWork, UnitOfWorkFactory

__all__ = [
    "AuditRecord", "AuditRepository", "CaseRepository", "DocumentRepository", "DraftRecord", "DueRepository",
    "PeopleRepository", "PersonContact", "ReportRow", "SentCardRecord",
    "ActionRecord", "AgendaItemRecord", "AttendanceRecord", "MeetingRecord", "MeetingRepository", "MinutesRecord",
    "PlanEntryRecord", "ReportRecord", "AssetLinkRecord", "AssetRecord", "ImportRunRecord", "OwnershipFlagRecord",
    "RegisterRepository", "SnapshotRecord",
    "KeyValueRepository", "LeaseRecord", "LeaseRepository", "OutboxRepository", "OutboxRow", "SweepRunRecord",
    "AnswerRecord", "AnswerRepository", "ConversationRecord", "ConversationRepository", "MisunderstoodRepository",
    "AmendmentRecord", "ChapterIndexRow", "ChapterLightRow", "ChapterRecord", "Concept", "IndexHitRecord",
    "ManualGeneration", "ManualRepository", "ManualSearchIndex", "Phrase", "RegisterSearchRow", "SyncRunRecord",
    "Amendment", "Attachment", "CaseRecord", "Change", "ChangeKind", "ChangeSummary", "ChapterPage", "ManualPassage",
    "Clock", "ConcurrencyConflict", "CrawlConfig", "CrawlResult", "DirectoryEntry", "DirectorySource",
    "DocumentRecord", "DocxInspector", "DraftFacts", "Email", "FileStore", "MailTransport",
    "ManualProgress", "ManualSource", "Notice", "NoticeKind", "NoticeRenderer", "NoticeWriter",
    "OutboxItem", "PageFailure", "PeopleFileReader", "PermanentSendError", "PersonFacts",
    "PersonRecord", "PersonSnapshot", "DocumentSnapshot", "CaseSnapshot", "SendError", "SentActivity", "Sheet", "SpreadsheetReader", "TeamsChat", "TeamsSender",
    "TransientSendError", "UnitOfWork", "UnitOfWorkFactory", "Validators", "Workbook",
]
