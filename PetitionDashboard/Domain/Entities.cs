namespace PetitionDashboard.Domain;

/// <summary>责任单位: the body that must handle a petition.</summary>
public class Unit
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public UnitKind Kind { get; set; }
}

/// <summary>包案领导.</summary>
public class Leader
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>职务.</summary>
    public required string Title { get; set; }
}

/// <summary>An entry of the versioned, editable 一级 category code table.</summary>
public class Category
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public int SortOrder { get; set; }
    public int Version { get; set; } = 1;
    public bool Active { get; set; } = true;
}

/// <summary>
/// 信访人. Identity is the 身份证号, or without one the normalized name + phone (<see cref="IdentityKey"/>). The numbers and the
/// identity are personal data: stored encrypted / hashed (Data/Protection/PersonalDataProtector), never in clear.
/// </summary>
public class Petitioner
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Encrypted (<c>keyId:…</c>); clear only through the protector.</summary>
    public string? IdNumber { get; set; }
    /// <summary>Encrypted (<c>keyId:…</c>); clear only through the protector.</summary>
    public string? Phone { get; set; }
    public string? Address { get; set; }
    /// <summary>The key repeat matching compares — "ID:…" or "NP:name|phone" — as a keyed hash that keeps its kind ("ID:keyId:hash").</summary>
    public required string IdentityKey { get; set; }
    /// <summary>The clear identity key, encrypted: what a new hashing key re-hashes (<c>rotate-keys</c>). Null for "NK:" keys.</summary>
    public string? IdentitySource { get; set; }
    /// <summary>The last characters of <see cref="IdentityKey"/>, computed by the database: what its index holds
    /// (Data/PetitionerLookup). Never set by the app; null on a petitioner not yet saved.</summary>
    public string? IdentityTail { get; private set; }
    public List<PetitionPetitioner> Petitions { get; set; } = [];
}

public class PetitionPetitioner
{
    public int PetitionId { get; set; }
    public Petition Petition { get; set; } = null!;
    public int PetitionerId { get; set; }
    public Petitioner Petitioner { get; set; } = null!;
}

/// <summary>信访事项链: the first petition on a matter and all its repeats.</summary>
public class PetitionThread
{
    public int Id { get; set; }
    public int? FirstPetitionId { get; set; }
    /// <summary>Petitions in the thread; repeat count = PetitionCount − 1.</summary>
    public int PetitionCount { get; set; }
    public DateOnly FirstReceivedOn { get; set; }
    public DateOnly LastReceivedOn { get; set; }
    /// <summary>Handed down in a 集中交办 batch (a backlog thread whatever its age).</summary>
    public int? BacklogBatchId { get; set; }
    public List<Petition> Petitions { get; set; } = [];
    public List<LeaderAssignment> Assignments { get; set; } = [];
}

/// <summary>信访事项. Its <see cref="State"/> always equals the last transition event's target.</summary>
public class Petition : IPetitionDates
{
    public int Id { get; set; }
    /// <summary>信访编号.</summary>
    public required string CaseNumber { get; set; }
    /// <summary>外部编号: the national system's 信访件编号 of a petition registered here (unique when present, docs/rules.md §7).</summary>
    public string? ExternalNumber { get; set; }
    public PetitionForm Form { get; set; }
    public PetitionPurpose? Purpose { get; set; }
    public int PeopleCount { get; set; } = 1;
    /// <summary>问题属地: county / district name.</summary>
    public required string Locality { get; set; }
    /// <summary>一级 content category.</summary>
    public required string Category { get; set; }
    /// <summary>诉求摘要.</summary>
    public required string Demand { get; set; }
    public int UnitId { get; set; }
    public Unit Unit { get; set; } = null!;
    /// <summary>Names of the petitioners joined with 、 (for lists and search).</summary>
    public required string PetitionerNames { get; set; }
    public List<PetitionPetitioner> Petitioners { get; set; } = [];

    public DateOnly ReceivedOn { get; set; }
    public DateTime RegisteredAtUtc { get; set; }
    /// <summary>Date the responsible unit received it (转送/交办).</summary>
    public DateOnly? DispatchedOn { get; set; }
    /// <summary>Date of the first decision (受理, 不予受理, 转送, 交办, 存档, 导入法定途径).</summary>
    public DateOnly? FirstDecisionOn { get; set; }
    public DateOnly? AcceptedOn { get; set; }
    public bool SimpleProcedure { get; set; }
    public int ExtensionDays { get; set; }
    public string? ExtensionReason { get; set; }
    public string? ExtensionApprover { get; set; }
    /// <summary>A 延期 asked for and not yet decided by a Supervisor (null: none pending).</summary>
    public int? PendingExtensionDays { get; set; }
    public string? PendingExtensionReason { get; set; }
    public string? PendingExtensionRequestedBy { get; set; }
    public DateOnly? PendingExtensionRequestedOn { get; set; }
    public DateOnly? RepliedOn { get; set; }
    public ReplyResult? ReplyResult { get; set; }
    public Evaluation? Evaluation { get; set; }
    public DateOnly? EvaluatedOn { get; set; }
    public DateOnly? ReviewAcceptedOn { get; set; }
    public DateOnly? ReviewDecidedOn { get; set; }
    public DateOnly? RecheckAcceptedOn { get; set; }
    /// <summary>Date it became finished (docs/rules.md §4).</summary>
    public DateOnly? FinishedOn { get; set; }

    public PetitionState State { get; set; } = PetitionState.Registered;
    /// <summary>Due date of the step an open petition waits on (§4); null when not open. Kept for SQL filters and sorts.</summary>
    public DateOnly? CurrentDueDate { get; set; }
    public SupervisionLevel Supervision { get; set; }
    public bool SupervisionRaisedByHand { get; set; }
    public int RemindersSent { get; set; }

    public int ThreadId { get; set; }
    public PetitionThread Thread { get; set; } = null!;
    /// <summary>重件: a later petition of its thread (the first is the 初件).</summary>
    public bool IsRepeat { get; set; }
    /// <summary>领导接访件: the reception date when the petition was received at a Leader's reception (docs/rules.md §11); null otherwise.</summary>
    public DateOnly? LeaderReceptionOn { get; set; }

    /// <summary>Optimistic concurrency token, incremented on every save.</summary>
    public int Version { get; set; }

    public List<PetitionEvent> Events { get; set; } = [];
    /// <summary>Day of the latest <see cref="ThreadChanges"/> row; null: never moved, its thread and flag hold for every week.</summary>
    public DateOnly? ThreadChangedOn { get; set; }
    /// <summary>Day of the latest <see cref="UnitChanges"/> row; null: its unit holds for every week.</summary>
    public DateOnly? UnitChangedOn { get; set; }
    /// <summary>Dated thread / 初件-重件 changes (docs/rules.md §8 "as of W's Sunday").</summary>
    public List<PetitionThreadChange> ThreadChanges { get; set; } = [];
    /// <summary>Dated 责任单位 changes (docs/rules.md §8: a petition counts for its unit at the end of W).</summary>
    public List<PetitionUnitChange> UnitChanges { get; set; } = [];

    /// <summary>The 初转重 risk of an open 初件 (a row of its own table, null when not scored).</summary>
    public RiskScore? Risk { get; set; }

    public bool IsOpen => PetitionLifecycle.IsOpen(State);
}

/// <summary>One row of a petition's history: every transition and every other change (docs/rules.md §4).</summary>
public class PetitionEvent
{
    public long Id { get; set; }
    public int PetitionId { get; set; }
    public PetitionEventKind Kind { get; set; }
    public DateTime AtUtc { get; set; }
    /// <summary>Business date (Shanghai) the event counts on.</summary>
    public DateOnly On { get; set; }
    public required string Actor { get; set; }
    public PetitionState? FromState { get; set; }
    public PetitionState? ToState { get; set; }
    /// <summary>Old → new of a non-state change, e.g. "督办 → 挂牌督办".</summary>
    public string? Detail { get; set; }
    public string? Note { get; set; }
}

/// <summary>领导包案: a leader's ownership of one thread until it is resolved.</summary>
public class LeaderAssignment
{
    public int Id { get; set; }
    public int ThreadId { get; set; }
    public PetitionThread Thread { get; set; } = null!;
    public int LeaderId { get; set; }
    public Leader Leader { get; set; } = null!;
    public int LeadUnitId { get; set; }
    public Unit LeadUnit { get; set; } = null!;
    /// <summary>Co-handling unit names, 、-separated.</summary>
    public string? CoUnits { get; set; }
    /// <summary>责任人.</summary>
    public required string ResponsiblePerson { get; set; }
    /// <summary>稳控责任人.</summary>
    public string? StabilityPerson { get; set; }
    public required string Plan { get; set; }
    public DateOnly AssignedOn { get; set; }
    public DateOnly DueOn { get; set; }
    public int ExtensionDays { get; set; }
    public AssignmentStatus Status { get; set; } = AssignmentStatus.Active;
    /// <summary>The last 息诉罢访 (what the pages show); the weekly figures read <see cref="Resolutions"/>, every one of them.</summary>
    public DateOnly? ResolvedOn { get; set; }
    /// <summary>The last 反弹 (a repeat after 息诉罢访); after <see cref="ResolvedOn"/> while the 包案 is 反弹.</summary>
    public DateOnly? RelapsedOn { get; set; }
    /// <summary>Every 息诉罢访 with the 反弹 that ended it, if any (docs/rules.md §8).</summary>
    public List<AssignmentResolution> Resolutions { get; set; } = [];
    public string? ResolutionResult { get; set; }
    public int? BatchId { get; set; }
    public int Version { get; set; }
    public List<AssignmentProgress> Progress { get; set; } = [];
}

public class AssignmentProgress
{
    public int Id { get; set; }
    public int AssignmentId { get; set; }
    public DateOnly On { get; set; }
    public required string Action { get; set; }
    public required string Actor { get; set; }
}
