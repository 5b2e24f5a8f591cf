using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Audit;

/// <summary>
/// The one audit mechanism for data changes (docs/rules.md §10): every insert, update and delete of petitions, petitioners,
/// petition–petitioner links, threads, 包案, users and user roles becomes <see cref="AuditEntry"/> rows — who, when,
/// entity, field, old → new — written in the same transaction as the change. Rows for inserts whose keys the database
/// generates are written right after the insert, inside a transaction this interceptor opens when the caller has none; so
/// are updates that point at such a row, so the trail shows the real key, never EF's temporary one.
/// </summary>
public sealed class AuditInterceptor(AuditActorAccessor actor, TimeProvider clock, PersonalDataProtector protector) : SaveChangesInterceptor
{
    /// <summary>Values never copied into the audit trail (tokens, hashes, derived or noisy columns).</summary>
    private static readonly HashSet<string> SkippedFields =
    [
        nameof(Petition.Version), nameof(LeaderAssignment.Version), nameof(IdentityUser.ConcurrencyStamp),
        nameof(IdentityUser.SecurityStamp), nameof(IdentityUser.NormalizedUserName), nameof(IdentityUser.NormalizedEmail),
        nameof(IdentityUser.AccessFailedCount), nameof(Petitioner.IdentitySource),
    ];

    private readonly ConditionalWeakTable<DbContext, PendingInserts> _pending = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && !AuditSuppression.IsSuppressed)
            await CaptureAsync(context, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context && !AuditSuppression.IsSuppressed)
            CaptureAsync(context, CancellationToken.None).ConfigureAwait(false).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context) await WritePendingInsertsAsync(context, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context) WritePendingInsertsAsync(context, CancellationToken.None).ConfigureAwait(false).GetAwaiter().GetResult();
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _pending.TryGetValue(context, out var pending))
        {
            _pending.Remove(context);
            if (pending.OwnTransaction is { } tx)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                await tx.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) =>
        SaveChangesFailedAsync(eventData).ConfigureAwait(false).GetAwaiter().GetResult();

    private async Task CaptureAsync(DbContext context, CancellationToken ct)
    {
        var entries = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && IsAudited(e.Entity))
            .Where(e => !(AuditSuppression.ImportedRowsOnly && e.State == EntityState.Added && IsImportedRow(e.Entity)))
            .ToList();
        if (entries.Count == 0) return;

        var now = clock.GetUtcNow().UtcDateTime;
        var who = actor.Actor;
        var deferred = entries.Where(e => e.State == EntityState.Added && e.Properties.Any(p => p.Metadata.IsPrimaryKey() && p.IsTemporary)).ToList();
        // An update that points at a row inserted in the same save (a petition moved to a new thread) holds a temporary
        // key until the database assigns the real one: its old values are kept now, its new values read after the save.
        var lateUpdates = entries
            .Where(e => e.State == EntityState.Modified && (e.Properties.Any(p => p.IsModified && p.IsTemporary) || e.References.Any(PointsAtNewRow)))
            .Select(e => new PendingUpdate(e, e.Properties.Where(p => p.IsModified).ToDictionary(p => p.Metadata.Name, p => p.OriginalValue)))
            .ToList();
        var immediate = entries.Except(deferred).Except(lateUpdates.Select(u => u.Entry)).ToList();

        if (immediate.Count > 0)
        {
            var names = await ResolveNamesAsync(context, immediate, ct).ConfigureAwait(false);
            var rows = immediate.SelectMany(e => Describe(e, e.State, names, who, now)).ToList();
            context.Set<AuditEntry>().AddRange(rows);
        }

        if (deferred.Count > 0 || lateUpdates.Count > 0)
        {
            IDbContextTransaction? own = null;
            if (context.Database.CurrentTransaction is null)
                own = await context.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            _pending.AddOrUpdate(context, new PendingInserts(deferred, lateUpdates, who, now, own));
        }
    }

    /// <summary>A reference to a row added in this save whose key the database has not assigned yet.</summary>
    private static bool PointsAtNewRow(ReferenceEntry reference) =>
        reference.TargetEntry is { State: EntityState.Added } target && target.Properties.Any(p => p.Metadata.IsPrimaryKey() && p.IsTemporary);

    private async Task WritePendingInsertsAsync(DbContext context, CancellationToken ct)
    {
        if (!_pending.TryGetValue(context, out var pending)) return;
        _pending.Remove(context);
        try
        {
            var names = await ResolveNamesAsync(context, [.. pending.Entries, .. pending.Updates.Select(u => u.Entry)], ct).ConfigureAwait(false);
            context.Set<AuditEntry>().AddRange(pending.Entries.SelectMany(e => Describe(e, EntityState.Added, names, pending.Actor, pending.AtUtc)));
            context.Set<AuditEntry>().AddRange(pending.Updates.SelectMany(u => Describe(u.Entry, EntityState.Modified, names, pending.Actor, pending.AtUtc, u.Originals)));
            await context.SaveChangesAsync(ct).ConfigureAwait(false);
            if (pending.OwnTransaction is { } tx) await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            if (pending.OwnTransaction is { } tx) await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (pending.OwnTransaction is { } tx) await tx.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>What an import adds itself (summarized by its one "Import" entry); anything else it touches is audited.</summary>
    private static bool IsImportedRow(object entity) => entity is Petition or Petitioner or PetitionPetitioner or PetitionThread;

    private static bool IsAudited(object entity) =>
        entity is Petition or Petitioner or PetitionPetitioner or PetitionThread or RepeatDecision or LeaderAssignment
            or AssignmentProgress or AssignmentBatch or AssignmentExtensionRequest or AppUser or IdentityUserRole<string>;

    /// <param name="originals">For an update described after its save: the values before it (the entry's own original
    /// values are the saved ones by then); null while the save is still to come.</param>
    private IEnumerable<AuditEntry> Describe(
        EntityEntry e, EntityState state, Names names, string who, DateTime now, IReadOnlyDictionary<string, object?>? originals = null)
    {
        var (entity, key, caseNumber, summary) = Identify(e, names);
        AuditEntry Row(string action, string? field = null, string? oldValue = null, string? newValue = null, string? detail = null) =>
            AuditEntry.Create(now, who, action, entity, key, caseNumber, field, oldValue, newValue, detail);

        switch (state)
        {
            case EntityState.Added:
                yield return Row(AuditActions.Create, detail: summary);
                break;
            case EntityState.Deleted:
                yield return Row(AuditActions.Delete, detail: summary);
                break;
            case EntityState.Modified:
                foreach (var p in e.Properties)
                {
                    var modified = originals?.ContainsKey(p.Metadata.Name) ?? p.IsModified;
                    var before = originals is null ? p.OriginalValue : originals.GetValueOrDefault(p.Metadata.Name);
                    if (!modified || SkippedFields.Contains(p.Metadata.Name) || Equals(before, p.CurrentValue)) continue;
                    if (p.Metadata.Name == nameof(IdentityUser.PasswordHash))
                        yield return Row(AuditActions.Update, p.Metadata.Name, detail: "密码已更改");
                    else if (e.Entity is Petitioner && p.Metadata.Name == nameof(Petitioner.IdentityKey))
                    {
                        // The stored key is a hash: the trail shows the identity it stands for, masked, from its encrypted source.
                        var source = e.Property(nameof(Petitioner.IdentitySource));
                        var sourceBefore = originals is not null && originals.TryGetValue(source.Metadata.Name, out var o) ? o : source.OriginalValue;
                        yield return Row(AuditActions.Update, p.Metadata.Name,
                            PersonalData.MaskIdentityKey(protector.RevealIdentity(sourceBefore as string, before as string)),
                            PersonalData.MaskIdentityKey(protector.RevealIdentity(source.CurrentValue as string, p.CurrentValue as string)));
                    }
                    else
                        yield return Row(AuditActions.Update, p.Metadata.Name, Masked(e.Entity, p.Metadata.Name, Format(before)),
                            Masked(e.Entity, p.Metadata.Name, Format(p.CurrentValue)));
                }
                break;
        }
    }

    /// <summary>
    /// The trail stores personal numbers masked (docs/rules.md §10): a full number is shown only through the audited reveal,
    /// so the trail of who-saw-what must not itself be a copy of the numbers.
    /// </summary>
    internal string? Masked(object entity, string field, string? value) => (entity, field) switch
    {
        (Petitioner, nameof(Petitioner.IdNumber)) => protector.MaskedIdNumber(value),
        (Petitioner, nameof(Petitioner.Phone)) => protector.MaskedPhone(value),
        (IdentityUser, nameof(IdentityUser.PhoneNumber)) => PersonalData.MaskPhone(value),
        _ => value,
    };

    private static (string Entity, string? Key, string? CaseNumber, string? Summary) Identify(EntityEntry e, Names names)
    {
        switch (e.Entity)
        {
            case Petition p:
                return (nameof(Petition), p.Id.ToString(CultureInfo.InvariantCulture), p.CaseNumber, $"信访编号 {p.CaseNumber}，状态 {p.State.ToChinese()}");
            case Petitioner r:
                return (nameof(Petitioner), r.Id.ToString(CultureInfo.InvariantCulture), null, $"信访人 {r.Name}");
            case PetitionPetitioner link:
                return (nameof(PetitionPetitioner), $"{link.PetitionId}-{link.PetitionerId}", names.CaseOfPetition(link.PetitionId),
                    $"信访人 #{link.PetitionerId} ↔ 信访件 {names.CaseOfPetition(link.PetitionId)}");
            case PetitionThread t:
                return (nameof(PetitionThread), t.Id.ToString(CultureInfo.InvariantCulture), t.FirstPetitionId is { } f ? names.CaseOfPetition(f) : null,
                    $"信访事项链，件数 {t.PetitionCount}");
            case LeaderAssignment a:
                return (nameof(LeaderAssignment), a.Id.ToString(CultureInfo.InvariantCulture), names.CaseOfThread(a.ThreadId),
                    $"包案领导 #{a.LeaderId}，期限 {a.DueOn:yyyy-MM-dd}");
            case RepeatDecision d:
                return (nameof(RepeatDecision), d.Id.ToString(CultureInfo.InvariantCulture), names.CaseOfPetition(d.PetitionId),
                    $"认定非重复件：信访件 {names.CaseOfPetition(d.PetitionId)} 不属信访事项链 #{d.ThreadId}");
            case AssignmentProgress ap:
                return (nameof(AssignmentProgress), ap.Id.ToString(CultureInfo.InvariantCulture), null, $"包案 #{ap.AssignmentId} 进展：{ap.Action}");
            case AssignmentBatch b:
                return (nameof(AssignmentBatch), b.Id.ToString(CultureInfo.InvariantCulture), null, $"集中交办批次 {b.Name}");
            case AssignmentExtensionRequest x:
                return (nameof(AssignmentExtensionRequest), x.Id.ToString(CultureInfo.InvariantCulture), null,
                    $"包案 #{x.AssignmentId} 延期申请 {x.Days} 日");
            case AppUser u:
                return (nameof(AppUser), u.UserName, null, $"用户 {u.UserName}（{u.DisplayName}）");
            case IdentityUserRole<string> ur:
                var role = names.RoleName(ur.RoleId);
                return ("UserRole", names.UserName(ur.UserId), null, $"角色 {Roles.ToChinese(role ?? ur.RoleId)}");
            default:
                return (e.Metadata.ClrType.Name, null, null, null);
        }
    }

    /// <summary>Case numbers, user and role names the rows mention; tracked entities first, then one query per kind.</summary>
    private static async Task<Names> ResolveNamesAsync(DbContext context, IReadOnlyCollection<EntityEntry> entries, CancellationToken ct)
    {
        var names = new Names();
        foreach (var p in context.ChangeTracker.Entries<Petition>()) names.Petitions[p.Entity.Id] = p.Entity.CaseNumber;
        foreach (var u in context.ChangeTracker.Entries<AppUser>()) names.Users[u.Entity.Id] = u.Entity.UserName;

        var petitionIds = entries.Select(e => e.Entity switch
        {
            PetitionPetitioner l => (int?)l.PetitionId,
            PetitionThread t => t.FirstPetitionId,
            RepeatDecision d => d.PetitionId,
            _ => null,
        }).OfType<int>().Where(id => !names.Petitions.ContainsKey(id)).Distinct().ToList();
        if (petitionIds.Count > 0)
            foreach (var p in await context.Set<Petition>().AsNoTracking().Where(p => petitionIds.Contains(p.Id))
                         .Select(p => new { p.Id, p.CaseNumber }).ToListAsync(ct).ConfigureAwait(false))
                names.Petitions[p.Id] = p.CaseNumber;

        var threadIds = entries.Select(e => (e.Entity as LeaderAssignment)?.ThreadId).OfType<int>().Distinct().ToList();
        if (threadIds.Count > 0)
            foreach (var t in await (from t in context.Set<PetitionThread>().AsNoTracking()
                                     where threadIds.Contains(t.Id)
                                     join p in context.Set<Petition>() on t.FirstPetitionId equals p.Id
                                     select new { t.Id, p.CaseNumber }).ToListAsync(ct).ConfigureAwait(false))
                names.Threads[t.Id] = t.CaseNumber;

        var userRoles = entries.Select(e => e.Entity).OfType<IdentityUserRole<string>>().ToList();
        if (userRoles.Count > 0)
        {
            var roleIds = userRoles.Select(r => r.RoleId).Distinct().ToList();
            foreach (var r in await context.Set<IdentityRole>().AsNoTracking().Where(r => roleIds.Contains(r.Id))
                         .Select(r => new { r.Id, r.Name }).ToListAsync(ct).ConfigureAwait(false))
                names.Roles[r.Id] = r.Name;
            var userIds = userRoles.Select(r => r.UserId).Where(id => !names.Users.ContainsKey(id)).Distinct().ToList();
            if (userIds.Count > 0)
                foreach (var u in await context.Set<AppUser>().AsNoTracking().Where(u => userIds.Contains(u.Id))
                             .Select(u => new { u.Id, u.UserName }).ToListAsync(ct).ConfigureAwait(false))
                    names.Users[u.Id] = u.UserName;
        }
        return names;
    }

    /// <summary>A value as a person reads it: domain words in Chinese, dates as yyyy-MM-dd, instants in UTC.</summary>
    internal static string? Format(object? value) => value switch
    {
        null => null,
        PetitionState s => s.ToChinese(),
        PetitionForm f => f.ToChinese(),
        PetitionPurpose p => p.ToChinese(),
        ReplyResult r => r.ToChinese(),
        Evaluation v => v.ToChinese(),
        SupervisionLevel l => l.ToChinese(),
        AssignmentStatus a => a.ToChinese(),
        bool b => b ? "是" : "否",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC",
        DateTimeOffset o => o.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private sealed record PendingInserts(
        List<EntityEntry> Entries, List<PendingUpdate> Updates, string Actor, DateTime AtUtc, IDbContextTransaction? OwnTransaction);

    private sealed record PendingUpdate(EntityEntry Entry, Dictionary<string, object?> Originals);

    private sealed class Names
    {
        public Dictionary<int, string> Petitions { get; } = [];
        public Dictionary<int, string> Threads { get; } = [];
        public Dictionary<string, string?> Users { get; } = [];
        public Dictionary<string, string?> Roles { get; } = [];
        public string? CaseOfPetition(int id) => Petitions.GetValueOrDefault(id);
        public string? CaseOfThread(int id) => Threads.GetValueOrDefault(id);
        public string? UserName(string id) => Users.GetValueOrDefault(id) ?? id;
        public string? RoleName(string id) => Roles.GetValueOrDefault(id);
    }
}

/// <summary>The action names stored in <see cref="AuditEntry.Action"/>.</summary>
public static class AuditActions
{
    public const string Create = "Create";
    public const string Update = "Update";
    public const string Delete = "Delete";
    public const string SignIn = "SignIn";
    public const string SignInFailed = "SignInFailed";
    public const string LockedOut = "LockedOut";
    public const string SignOut = "SignOut";
    public const string PasswordChanged = "PasswordChanged";
    public const string Reveal = "Reveal";
    public const string Export = "Export";

    public static readonly IReadOnlyList<string> All = [Create, Update, Delete, SignIn, SignInFailed, LockedOut, SignOut, PasswordChanged, Reveal, Export];

    public static string ToChinese(string action) => action switch
    {
        Create => "新增",
        Update => "修改",
        Delete => "删除",
        SignIn => "登录",
        SignInFailed => "登录失败",
        LockedOut => "账户锁定",
        SignOut => "退出登录",
        PasswordChanged => "修改密码",
        Reveal => "查看完整个人信息",
        Export => "导出",
        _ => action,
    };
}
