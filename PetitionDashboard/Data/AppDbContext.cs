using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data;

/// <summary>The whole model; one sealed subclass per provider carries that provider's migrations.</summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    /// <summary>The cookie and antiforgery keys, shared by every node and kept across restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    /// <summary>Files prepared for one user (reports, import error lists), servable by any node; chunks in <see cref="PreparedFileChunks"/>.</summary>
    public DbSet<PreparedFile> PreparedFiles => Set<PreparedFile>();
    public DbSet<PreparedFileChunk> PreparedFileChunks => Set<PreparedFileChunk>();
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<Leader> Leaders => Set<Leader>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Petitioner> Petitioners => Set<Petitioner>();
    public DbSet<Petition> Petitions => Set<Petition>();
    public DbSet<PetitionPetitioner> PetitionPetitioners => Set<PetitionPetitioner>();
    public DbSet<PetitionThread> Threads => Set<PetitionThread>();
    public DbSet<PetitionEvent> PetitionEvents => Set<PetitionEvent>();
    public DbSet<LeaderAssignment> LeaderAssignments => Set<LeaderAssignment>();
    public DbSet<AssignmentProgress> AssignmentProgress => Set<AssignmentProgress>();
    public DbSet<AssignmentResolution> AssignmentResolutions => Set<AssignmentResolution>();
    public DbSet<PetitionThreadChange> PetitionThreadChanges => Set<PetitionThreadChange>();
    public DbSet<PetitionUnitChange> PetitionUnitChanges => Set<PetitionUnitChange>();
    public DbSet<AssignmentBatch> AssignmentBatches => Set<AssignmentBatch>();
    public DbSet<AssignmentExtensionRequest> AssignmentExtensionRequests => Set<AssignmentExtensionRequest>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    /// <summary>Signed-in sessions, shared by every node (docs/rules.md §10).</summary>
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();
    public DbSet<WeeklyUnitStatistic> WeeklyUnitStatistics => Set<WeeklyUnitStatistic>();
    public DbSet<RepeatDecision> RepeatDecisions => Set<RepeatDecision>();
    public DbSet<RecomputeRun> RecomputeRuns => Set<RecomputeRun>();
    public DbSet<MaintenanceMarker> MaintenanceMarkers => Set<MaintenanceMarker>();
    public DbSet<HolidayCalendarYear> HolidayCalendarYears => Set<HolidayCalendarYear>();
    public DbSet<HolidayCalendarRevision> HolidayCalendarRevisions => Set<HolidayCalendarRevision>();
    public DbSet<LeaderInstruction> LeaderInstructions => Set<LeaderInstruction>();
    public DbSet<InstructionUnit> InstructionUnits => Set<InstructionUnit>();
    public DbSet<GeneratedDocument> GeneratedDocuments => Set<GeneratedDocument>();
    public DbSet<SupervisionNotice> SupervisionNotices => Set<SupervisionNotice>();
    public DbSet<NoticeReminder> NoticeReminders => Set<NoticeReminder>();
    public DbSet<SavedScoringScheme> SavedScoringSchemes => Set<SavedScoringScheme>();
    public DbSet<ScoringSchemeChoice> ScoringSchemeChoices => Set<ScoringSchemeChoice>();
    public DbSet<PublishedWeekScheme> PublishedWeekSchemes => Set<PublishedWeekScheme>();
    /// <summary>The 初转重 risk models, newest last; the newest deployed one scores (docs/rules.md §15).</summary>
    public DbSet<RiskModel> RiskModels => Set<RiskModel>();
    public DbSet<RiskScore> RiskScores => Set<RiskScore>();
    /// <summary>Saved column mappings of other systems' ledgers (docs/rules.md §7).</summary>
    public DbSet<LedgerProfile> LedgerProfiles => Set<LedgerProfile>();
    public DbSet<ReceptionDay> ReceptionDays => Set<ReceptionDay>();
    public DbSet<ReceptionBooking> ReceptionBookings => Set<ReceptionBooking>();
    public DbSet<LeaderVisit> LeaderVisits => Set<LeaderVisit>();
    public DbSet<LeaderVisitPetition> LeaderVisitPetitions => Set<LeaderVisitPetition>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        ReceptionModel.Configure(b);

        b.Entity<Unit>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(FieldLengths.UnitName);
            e.HasIndex(x => x.Name).IsUnique();
        });
        b.Entity<Leader>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(50);
            e.Property(x => x.Title).HasMaxLength(100);
        });
        b.Entity<Category>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(50);
            e.HasIndex(x => x.Name).IsUnique();
        });
        b.Entity<Petitioner>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(FieldLengths.PersonName);
            // Encrypted: key id + base64 of nonce, ciphertext and tag (FieldLengths bound the clear values).
            e.Property(x => x.IdNumber).HasMaxLength(200);
            e.Property(x => x.Phone).HasMaxLength(200);
            e.Property(x => x.IdentitySource).HasMaxLength(400);
            e.Property(x => x.Address).HasMaxLength(FieldLengths.PetitionerAddress);
            e.Property(x => x.IdentityKey).HasMaxLength(120);
            // Found by the key's tail, then the whole key (PetitionerLookup: the whole key was the import's largest index).
            // PostgreSQL before 18 computes only stored columns.
            e.Property(x => x.IdentityTail).HasComputedColumnSql(PetitionerLookup.TailSql(Database), stored: Database.IsNpgsql());
            e.HasIndex(x => x.IdentityTail);
        });
        b.Entity<PetitionPetitioner>(e =>
        {
            e.HasKey(x => new { x.PetitionId, x.PetitionerId });
            e.HasIndex(x => x.PetitionerId);
        });
        b.Entity<PetitionThread>(e =>
        {
            e.HasMany(x => x.Petitions).WithOne(x => x.Thread).HasForeignKey(x => x.ThreadId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Assignments).WithOne(x => x.Thread).HasForeignKey(x => x.ThreadId).OnDelete(DeleteBehavior.Restrict);
            // A 集中交办 number names a real batch: a dangling one would let a later batch inherit old cases.
            e.HasOne<AssignmentBatch>().WithMany().HasForeignKey(x => x.BacklogBatchId).OnDelete(DeleteBehavior.Restrict);
            // The repeats page's candidates: threads with repeats whose received dates reach into a period (covering, so the
            // ranking's COUNT reads no thread row); a twelfth of the threads at 1M.
            e.HasIndex(x => new { x.LastReceivedOn, x.FirstReceivedOn }, "IX_Threads_Repeats_LastReceivedOn").HasFilter("\"PetitionCount\" >= 2");
        });
        b.Entity<Petition>(e =>
        {
            e.Property(x => x.CaseNumber).HasMaxLength(FieldLengths.CaseNumber);
            e.HasIndex(x => x.CaseNumber).IsUnique();
            e.Property(x => x.Locality).HasMaxLength(50);
            e.Property(x => x.Category).HasMaxLength(50);
            e.Property(x => x.Demand).HasMaxLength(FieldLengths.PetitionDemand);
            e.Property(x => x.PetitionerNames).HasMaxLength(FieldLengths.PetitionerNames);
            e.Property(x => x.ExtensionReason).HasMaxLength(500);
            e.Property(x => x.ExtensionApprover).HasMaxLength(50);
            e.Property(x => x.PendingExtensionReason).HasMaxLength(500);
            e.Property(x => x.PendingExtensionRequestedBy).HasMaxLength(FieldLengths.Actor);
            // 外部编号 is unique when present: the ledger import finds a petition by it (docs/rules.md §7).
            e.Property(x => x.ExternalNumber).HasMaxLength(FieldLengths.CaseNumber);
            e.HasIndex(x => x.ExternalNumber).IsUnique().HasFilter("\"ExternalNumber\" IS NOT NULL");
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Ignore(x => x.IsOpen);
            e.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Petitioners).WithOne(x => x.Petition).HasForeignKey(x => x.PetitionId);
            e.HasMany(x => x.ThreadChanges).WithOne().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.UnitChanges).WithOne().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
            // Open cases per category (在办 + a category: SQLite seeks the category's open states here; without it 26 → 680 ms
            // at 1M). Not (UnitId, State) nor (ReceivedOn, IsRepeat), dropped by the migration PetitionIndexesForImport: every
            // read they served has a better index (a unit's open rows: IX_Petitions_Open_Unit, 某县 11 → 1.3 ms without
            // the old one to mislead the planner; a received-date range: IX_Petitions_Statistics, which also carries
            // IsRepeat), and each was a b-tree every new petition wrote: 3,000 of the 54,000 pages a 50,000-row import wrote
            // into 1M, −0.35 s of it (bench/README.md, import.sh, sixteenth session).
            e.HasIndex(x => new { x.Category, x.State });
            // By level with case number as tie-breaker (全部信访件 sorted by 督办等级: the first page is the index's first entries,
            // where (Supervision, State) sorted the ≈ 950,000 petitions of the lowest level, ≈ 0.9 s at 1M); State still covered.
            e.HasIndex(x => new { x.Supervision, x.CaseNumber, x.State });
            // A thread's petitions in received order (the case page, a 包案's 初件) and in a period (the repeats ranking).
            e.HasIndex(x => new { x.ThreadId, x.ReceivedOn });
            // Partial indexes on the open states (在办 is under a tenth of the rows at 1M), one per sort the grid offers on
            // 在办 (due date, received date, level both ways, petitioner, unit), each with case number as tie-breaker so
            // the first page is its first entries. Every one also carries every column an open filter tests (due and
            // received date, level, unit, form, repeat, 包案 thread, category): SQLite counts with the smallest index
            // whatever the filter, and a covering one never reads the table (a form filter: 0.3 s → 10 ms at 1M).
            // They replace (State, CurrentDueDate) and (State, ReceivedOn): with those present SQLite 3.53 seeks each
            // open state and sorts 79,000 rows (0.6 s at 1M) instead of reading 20 entries of the partial index.
            var open = PetitionLifecycle.OpenSqlFilter("\"State\"");
            e.HasIndex(x => new { x.CurrentDueDate, x.CaseNumber, x.ReceivedOn, x.Supervision, x.UnitId, x.Form, x.IsRepeat, x.ThreadId, x.Category },
                "IX_Petitions_Open_Due").HasFilter(open);
            e.HasIndex(x => new { x.ReceivedOn, x.CaseNumber, x.CurrentDueDate, x.Supervision, x.UnitId, x.Form, x.IsRepeat, x.ThreadId, x.Category },
                "IX_Petitions_Open_Received").HasFilter(open);
            e.HasIndex(x => new { x.Supervision, x.CaseNumber, x.CurrentDueDate, x.ReceivedOn, x.UnitId, x.Form, x.IsRepeat, x.ThreadId, x.Category },
                "IX_Petitions_Open_Supervision").HasFilter(open);
            // 督办等级倒序 keeps case numbers ascending: a descending level column serves it in index order.
            e.HasIndex(x => new { x.Supervision, x.CaseNumber, x.CurrentDueDate, x.ReceivedOn, x.UnitId, x.Form, x.IsRepeat, x.ThreadId, x.Category },
                "IX_Petitions_Open_SupervisionDesc").HasFilter(open).IsDescending(true, false, false, false, false, false, false, false, false);
            e.HasIndex(x => new { x.PetitionerNames, x.CaseNumber, x.CurrentDueDate, x.ReceivedOn, x.Supervision, x.UnitId, x.Form, x.IsRepeat, x.ThreadId, x.Category },
                "IX_Petitions_Open_Petitioner").HasFilter(open);
            // By unit name: SQLite walks the units by their unique name and each unit's open petitions by case number.
            e.HasIndex(x => new { x.UnitId, x.CaseNumber, x.CurrentDueDate, x.ReceivedOn, x.Supervision, x.Form, x.IsRepeat, x.ThreadId, x.Category },
                "IX_Petitions_Open_Unit").HasFilter(open);
            // All petitions by category and received-date range, in case-number order (a common 全部信访件 filter): the
            // COUNT and the sort of the page read the index only.
            e.HasIndex(x => new { x.Category, x.ReceivedOn, x.CaseNumber }, "IX_Petitions_Category_ReceivedOn");
            // All petitions by petitioner and by unit (the grid's sorts on 全部信访件), case number as tie-breaker.
            e.HasIndex(x => new { x.PetitionerNames, x.CaseNumber });
            e.HasIndex(x => new { x.UnitId, x.CaseNumber });
        });
        b.Entity<PetitionEvent>(e =>
        {
            e.Property(x => x.Actor).HasMaxLength(FieldLengths.Actor);
            e.Property(x => x.Detail).HasMaxLength(FieldLengths.EventDetail);
            e.Property(x => x.Note).HasMaxLength(FieldLengths.EventNote);
            e.HasIndex(x => new { x.PetitionId, x.Id });
        });
        b.Entity<LeaderAssignment>(e =>
        {
            e.Property(x => x.CoUnits).HasMaxLength(500);
            e.Property(x => x.ResponsiblePerson).HasMaxLength(FieldLengths.PersonName);
            e.Property(x => x.StabilityPerson).HasMaxLength(FieldLengths.PersonName);
            e.Property(x => x.Plan).HasMaxLength(FieldLengths.AssignmentPlan);
            e.Property(x => x.ResolutionResult).HasMaxLength(FieldLengths.ResolutionResult);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne(x => x.Leader).WithMany().HasForeignKey(x => x.LeaderId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.LeadUnit).WithMany().HasForeignKey(x => x.LeadUnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Progress).WithOne().HasForeignKey(x => x.AssignmentId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Resolutions).WithOne().HasForeignKey(x => x.AssignmentId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.ThreadId, x.Status });
            e.HasIndex(x => new { x.LeaderId, x.Status });
            // At most one open (Active or Relapsed) 包案 per thread: two officers assigning at once cannot both succeed.
            // The filter is ANSI SQL that SQLite, SQL Server (QUOTED_IDENTIFIER ON) and PostgreSQL all accept.
            e.HasIndex(x => x.ThreadId, "UX_LeaderAssignments_OpenPerThread").IsUnique()
                .HasFilter(AssignmentLifecycle.InForceSqlFilter("\"Status\""));
            e.HasIndex(x => x.BatchId);
            e.HasOne<AssignmentBatch>().WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Restrict);
        });
        // "As of W's Sunday" reads the earliest change after that Sunday per petition / assignment: (owner, date) first.
        b.Entity<AssignmentResolution>(e => e.HasIndex(x => new { x.AssignmentId, x.ResolvedOn }));
        b.Entity<PetitionThreadChange>(e => e.HasIndex(x => new { x.PetitionId, x.On }));
        b.Entity<PetitionUnitChange>(e =>
        {
            e.HasIndex(x => new { x.PetitionId, x.On });
            e.HasOne<Unit>().WithMany().HasForeignKey(x => x.FromUnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Unit>().WithMany().HasForeignKey(x => x.ToUnitId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<AssignmentBatch>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(FieldLengths.BatchName);
            e.Property(x => x.CreatedBy).HasMaxLength(FieldLengths.Actor);
        });
        b.Entity<AssignmentExtensionRequest>(e =>
        {
            e.Property(x => x.Reason).HasMaxLength(FieldLengths.ExtensionReason);
            e.Property(x => x.RequestedBy).HasMaxLength(FieldLengths.Actor);
            e.Property(x => x.DecidedBy).HasMaxLength(FieldLengths.Actor);
            e.Property(x => x.DecisionNote).HasMaxLength(FieldLengths.DecisionNote);
            // Two approvers deciding the same request: the second update finds it no longer pending.
            e.Property(x => x.Status).IsConcurrencyToken();
            e.HasOne<LeaderAssignment>().WithMany().HasForeignKey(x => x.AssignmentId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.Status, x.AssignmentId });
            e.HasIndex(x => x.AssignmentId);
        });
        b.Entity<AuditEntry>(e =>
        {
            e.Property(x => x.Actor).HasMaxLength(FieldLengths.Actor);
            e.Property(x => x.Action).HasMaxLength(FieldLengths.AuditAction);
            e.Property(x => x.Entity).HasMaxLength(FieldLengths.AuditEntity);
            e.Property(x => x.EntityKey).HasMaxLength(FieldLengths.AuditKey);
            e.Property(x => x.Field).HasMaxLength(FieldLengths.AuditField);
            e.Property(x => x.CaseNumber).HasMaxLength(FieldLengths.CaseNumber);
            e.Property(x => x.OldValue).HasMaxLength(FieldLengths.AuditValue);
            e.Property(x => x.NewValue).HasMaxLength(FieldLengths.AuditValue);
            e.Property(x => x.Detail).HasMaxLength(FieldLengths.AuditDetail);
            e.Property(x => x.ActorClass).HasMaxLength(AuditActorClasses.MaxLength);
            e.HasIndex(x => x.AtUtc);
            e.HasIndex(x => new { x.Actor, x.AtUtc });
            e.HasIndex(x => new { x.CaseNumber, x.AtUtc });
        });
        b.Entity<WeeklyUnitStatistic>(e =>
        {
            e.Property(x => x.PublishedBy).HasMaxLength(100);
            e.Ignore(x => x.Week);
            e.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.WeekMonday, x.UnitId }).IsUnique();
            e.HasIndex(x => new { x.UnitId, x.WeekMonday });
        });
        b.Entity<SavedScoringScheme>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(ScoringSchemes.MaxNameLength);
            e.Property(x => x.SavedBy).HasMaxLength(100);
            e.HasIndex(x => new { x.Name, x.Version }).IsUnique();
        });
        b.Entity<LedgerProfile>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(LedgerProfile.MaxNameLength);
            e.Property(x => x.SavedBy).HasMaxLength(100);
            e.HasIndex(x => x.Name).IsUnique();
        });
        b.Entity<ScoringSchemeChoice>(e =>
        {
            e.Property(x => x.SchemeName).HasMaxLength(ScoringSchemes.MaxNameLength);
            e.Property(x => x.ChosenBy).HasMaxLength(100);
        });
        b.Entity<PublishedWeekScheme>(e =>
        {
            e.Property(x => x.SchemeName).HasMaxLength(ScoringSchemes.MaxNameLength);
            e.HasIndex(x => x.WeekMonday).IsUnique();
        });
        b.Entity<PreparedFile>(e =>
        {
            e.Property(x => x.Owner).HasMaxLength(256);
            e.Property(x => x.Kind).HasMaxLength(50);
            e.Property(x => x.Key).HasMaxLength(300);
            e.Property(x => x.DownloadName).HasMaxLength(300);
            e.Property(x => x.KeyId).HasMaxLength(20);
            e.HasIndex(x => x.CreatedUtc);
            e.HasMany<PreparedFileChunk>().WithOne().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<PreparedFileChunk>(e => e.HasKey(x => new { x.FileId, x.Index }));
        b.Entity<HolidayCalendarYear>(e =>
        {
            e.HasKey(x => x.Year);
            e.Property(x => x.Year).ValueGeneratedNever();
            e.Property(x => x.SavedBy).HasMaxLength(FieldLengths.Actor);
        });
        b.Entity<HolidayCalendarRevision>(e => e.Property(x => x.Id).ValueGeneratedNever());
        b.Entity<RecomputeRun>(e =>
        {
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.RequestedBy).HasMaxLength(FieldLengths.Actor);
            e.Property(x => x.CurrentWeek).HasMaxLength(10);
            e.Property(x => x.Weeks).HasMaxLength(2000);
            e.Property(x => x.SkippedWeeks).HasMaxLength(2000);
            e.Property(x => x.Error).HasMaxLength(500);
            // NULLs do not collide (SQL Server gets an "IS NOT NULL" filter by convention): one run in progress at most.
            e.HasIndex(x => x.Slot).IsUnique();
            e.Property(x => x.Occurrence).HasMaxLength(10);
            e.HasIndex(x => x.Occurrence).IsUnique();
        });
        b.Entity<RepeatDecision>(e =>
        {
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.PetitionId, x.ThreadId }).IsUnique();
        });
        b.Entity<LeaderInstruction>(e =>
        {
            e.Property(x => x.Text).HasMaxLength(InstructionRules.MaxTextLength);
            e.Property(x => x.WrittenBy).HasMaxLength(FieldLengths.Actor);
            e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<PetitionThread>().WithMany().HasForeignKey(x => x.ThreadId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Leader).WithMany().HasForeignKey(x => x.LeaderId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Units).WithOne().HasForeignKey(x => x.InstructionId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.LeaderId, x.WrittenOn });
            e.HasIndex(x => x.PetitionId);
            e.HasIndex(x => x.ThreadId);
            // 超期未反馈 looks at the deadline first.
            e.HasIndex(x => x.DueOn);
        });
        b.Entity<InstructionUnit>(e =>
        {
            e.Property(x => x.ResponseText).HasMaxLength(InstructionRules.MaxResponseLength);
            e.Property(x => x.AttachmentName).HasMaxLength(InstructionRules.MaxAttachmentNameLength);
            e.Property(x => x.RecordedBy).HasMaxLength(FieldLengths.Actor);
            e.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.InstructionId, x.UnitId }).IsUnique();
        });
        b.Entity<GeneratedDocument>(e =>
        {
            e.Property(x => x.GeneratedBy).HasMaxLength(FieldLengths.Actor);
            e.Ignore(x => x.Week);
            e.HasMany(x => x.Notices).WithOne().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.Kind, x.WeekMonday });
            e.HasIndex(x => x.GeneratedAtUtc);
        });
        b.Entity<SupervisionNotice>(e =>
        {
            e.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.DocumentId);
        });
        b.Entity<NoticeReminder>(e =>
        {
            // One 催办 per petition and week: a second generation of the same week cannot count it twice, even when two
            // supervisors generate at once.
            e.HasKey(x => new { x.PetitionId, x.WeekMonday });
            e.HasOne<Petition>().WithMany().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<GeneratedDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<AppUser>(e => e.Property(x => x.DisplayName).HasMaxLength(FieldLengths.PersonName));
        b.Entity<UserSession>(e =>
        {
            e.ToTable("UserSessions");
            e.Property(x => x.Id).HasMaxLength(32);
            e.Property(x => x.EndReason).HasMaxLength(32);
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.UserId, x.EndedAtUtc });
        });
        b.Entity<PasswordHistoryEntry>(e =>
        {
            e.ToTable("PasswordHistory");
            e.Property(x => x.PasswordHash).HasMaxLength(200);
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.UserId, x.SetAtUtc });
        });
        b.Entity<MaintenanceMarker>(e =>
        {
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(64);
        });
        b.Entity<RiskModel>(e =>
        {
            e.Property(x => x.TrainedBy).HasMaxLength(FieldLengths.Actor);
            e.Property(x => x.NotDeployedReason).HasMaxLength(500);
            e.HasIndex(x => new { x.Deployed, x.Id });
        });
        b.Entity<RiskScore>(e =>
        {
            // Keyed by petition: the backlog reads it with a LEFT JOIN on this key, never a rebuild of Petitions.
            e.HasKey(x => x.PetitionId);
            e.Property(x => x.PetitionId).ValueGeneratedNever();
            e.Property(x => x.Reasons).HasMaxLength(1000);
            e.HasOne(x => x.Petition).WithOne(x => x.Risk).HasForeignKey<RiskScore>(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
            // The 高风险 card and filter, and the risk sort.
            e.HasIndex(x => new { x.High, x.PetitionId });
            e.HasIndex(x => x.Score);
        });
        b.Entity<AssignmentProgress>(e =>
        {
            e.Property(x => x.Action).HasMaxLength(FieldLengths.AssignmentProgress);
            e.Property(x => x.Actor).HasMaxLength(FieldLengths.Actor);
        });
    }

    /// <summary>Every save bumps the concurrency token of changed petitions and assignments.</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Modified) continue;
            switch (entry.Entity)
            {
                case Petition p: p.Version++; break;
                case LeaderAssignment a: a.Version++; break;
            }
        }
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
}

public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : AppDbContext(options);

public sealed class SqlServerDbContext(DbContextOptions<SqlServerDbContext> options) : AppDbContext(options);
