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
    internal static readonly HashSet<string> SkippedFields =
    [
        nameof(Petition.Version), nameof(LeaderAssignment.Version), nameof(IdentityUser.ConcurrencyStamp),
        nameof(IdentityUser.SecurityStamp), nameof(IdentityUser.NormalizedUserName), nameof(IdentityUser.NormalizedEmail),
        nameof(IdentityUser.AccessFailedCount), nameof(Petitioner.IdentitySource), nameof(Petitioner.IdentityTail),
        // Derived from the dated history rows; the change itself is audited as 信访事项链 / 责任单位.
        nameof(Petition.ThreadChangedOn), nameof(Petition.UnitChangedOn),
        // A claim held only while a reception record is written; the record itself (记录人, 记录时间, …) is audited.
        nameof(ReceptionBooking.RecordingSinceUtc),
    ];

    private readonly ConditionalWeakTable<DbContext, PendingInserts> _pending = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            if (!AuditSuppression.IsSuppressed) await CaptureAsync(context, cancellationToken).ConfigureAwait(false);
            await ClassifyActorsAsync(context, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            if (!AuditSuppression.IsSuppressed) CaptureAsync(context, CancellationToken.None).ConfigureAwait(false).GetAwaiter().GetResult();
            ClassifyActorsAsync(context, CancellationToken.None).ConfigureAwait(false).GetAwaiter().GetResult();
        }
        return result;
    }

    /// <summary>
    /// Stamps every new audit row — the ones written here and the ones services add themselves (sign-ins, exports, imports)
    /// — with the class its actor has now, at writing (<see cref="AuditEntry.ActorClass"/>): 系统, an administrator (any of
    /// the three roles), or a business user. Stored on the row rather than looked up when read, so an administrator's
    /// actions stay his after a role is removed (三员分立: only the audit administrator reads them).
    /// </summary>
    private static Task ClassifyActorsAsync(DbContext context, CancellationToken ct) =>
        ClassifyActorsAsync(context, [.. context.ChangeTracker.Entries<AuditEntry>()
            .Where(e => e.State == EntityState.Added && e.Entity.ActorClass is null).Select(e => e.Entity)], ct);

    /// <summary>
    /// The same stamp for rows a caller writes outside the change tracker (the import's multi-row inserts of its audit rows,
    /// issue 12): the class is still decided here, and only here.
    /// </summary>
    internal static async Task ClassifyActorsAsync(DbContext context, IReadOnlyList<AuditEntry> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        // Sign-in names are recorded as typed: compared in upper case, like Identity's normalized names.
        var names = rows.Where(r => !AuditActorClasses.IsSystemActor(r.Actor)).Select(r => r.Actor.ToUpperInvariant()).Distinct().ToList();
        var administrators = names.Count == 0 ? [] : await (
                from u in context.Set<AppUser>()
                where names.Contains(u.NormalizedUserName!)
                    && context.Set<IdentityUserRole<string>>().Any(ur => ur.UserId == u.Id
                        && context.Set<IdentityRole>().Any(r => r.Id == ur.RoleId && Roles.Administrators.Contains(r.Name!)))
                select u.NormalizedUserName!)
            .ToListAsync(ct).ConfigureAwait(false);
        foreach (var row in rows)
            row.ActorClass = AuditActorClasses.IsSystemActor(row.Actor) ? AuditActorClasses.System
                : administrators.Contains(row.Actor.ToUpperInvariant()) ? AuditActorClasses.Administrator
                : AuditActorClasses.Business;
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

    /// <summary>The entity types whose changes the trail records (each has Chinese names in <see cref="AuditVocabulary"/>).</summary>
    internal static readonly IReadOnlyList<Type> AuditedTypes =
    [
        typeof(Petition), typeof(Petitioner), typeof(PetitionPetitioner), typeof(PetitionThread), typeof(RepeatDecision),
        typeof(LeaderAssignment), typeof(AssignmentProgress), typeof(AssignmentBatch), typeof(AssignmentExtensionRequest),
        typeof(AppUser), typeof(IdentityUserRole<string>), typeof(LeaderInstruction), typeof(InstructionUnit),
        typeof(GeneratedDocument), typeof(SupervisionNotice), typeof(LedgerProfile),
        typeof(ReceptionDay), typeof(ReceptionBooking), typeof(LeaderVisit), typeof(LeaderVisitPetition),
    ];

    private static bool IsAudited(object entity) => AuditedTypes.Contains(entity.GetType());

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
                        yield return Row(AuditActions.Update, p.Metadata.Name, Readable(e.Entity, p.Metadata.Name, before, names),
                            Readable(e.Entity, p.Metadata.Name, p.CurrentValue, names));
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
                return (nameof(Petitioner), r.Id.ToString(CultureInfo.InvariantCulture), null, $"信访人 {PersonalData.MaskName(r.Name)}");
            case PetitionPetitioner link:
                return (nameof(PetitionPetitioner), $"{link.PetitionId}-{link.PetitionerId}", names.CaseOfPetition(link.PetitionId),
                    $"信访人 {names.PetitionerName(link.PetitionerId)} ↔ 信访件 {names.CaseOfPetition(link.PetitionId)}");
            case PetitionThread t:
                return (nameof(PetitionThread), t.Id.ToString(CultureInfo.InvariantCulture), t.FirstPetitionId is { } f ? names.CaseOfPetition(f) : null,
                    $"信访事项链，件数 {t.PetitionCount}");
            case LeaderAssignment a:
                return (nameof(LeaderAssignment), a.Id.ToString(CultureInfo.InvariantCulture), names.CaseOfThread(a.ThreadId),
                    $"包案领导 {names.LeaderName(a.LeaderId)}，期限 {a.DueOn:yyyy-MM-dd}");
            case RepeatDecision d:
                return (nameof(RepeatDecision), d.Id.ToString(CultureInfo.InvariantCulture), names.CaseOfPetition(d.PetitionId),
                    $"认定非重复件：信访件 {names.CaseOfPetition(d.PetitionId)} 不属信访事项链 #{d.ThreadId}");
            case AssignmentProgress ap:
                return (nameof(AssignmentProgress), ap.Id.ToString(CultureInfo.InvariantCulture), names.CaseOfAssignment(ap.AssignmentId),
                    $"{names.AssignmentText(ap.AssignmentId)} 进展：{ap.Action}");
            case AssignmentBatch b:
                return (nameof(AssignmentBatch), b.Id.ToString(CultureInfo.InvariantCulture), null, $"集中交办批次 {b.Name}");
            case AssignmentExtensionRequest x:
                return (nameof(AssignmentExtensionRequest), x.Id.ToString(CultureInfo.InvariantCulture), names.CaseOfAssignment(x.AssignmentId),
                    $"{names.AssignmentText(x.AssignmentId)} 延期申请 {x.Days} 日");
            case LeaderInstruction li:
                return (nameof(LeaderInstruction), li.Id.ToString(CultureInfo.InvariantCulture), names.CaseOfPetition(li.PetitionId),
                    $"领导批示（{names.LeaderName(li.LeaderId)}，{li.Units.Count} 个单位，反馈期限 {li.DueOn:yyyy-MM-dd}{(li.Important ? "，重要" : "")}）");
            case InstructionUnit iu:
                return (nameof(InstructionUnit), iu.Id.ToString(CultureInfo.InvariantCulture), null,
                    $"批示 #{iu.InstructionId} {names.UnitName(iu.UnitId)}{(iu.RespondedOn is { } on ? $" 反馈 {on:yyyy-MM-dd}" : "")}");
            case GeneratedDocument gd:
                return (nameof(GeneratedDocument), gd.Id.ToString(CultureInfo.InvariantCulture), null,
                    $"{Format(gd.Kind)} {gd.Week}");
            case LedgerProfile lp:
                return (nameof(LedgerProfile), lp.Id.ToString(CultureInfo.InvariantCulture), null, $"台账列对应方案“{lp.Name}”");
            case SupervisionNotice sn:
                return (nameof(SupervisionNotice), sn.Id.ToString(CultureInfo.InvariantCulture), null,
                    $"督办单 {names.UnitName(sn.UnitId)}，超期 {sn.OverdueCount} 件，反馈期限 {sn.ResponseDueOn:yyyy-MM-dd}");
            case ReceptionDay rd:
                return (nameof(ReceptionDay), rd.Id.ToString(CultureInfo.InvariantCulture), null,
                    $"领导接访日 {rd.On:yyyy-MM-dd}{rd.HalfDay.ToChinese()}，{names.LeaderName(rd.LeaderId)}，{rd.Place}");
            case ReceptionBooking rb:
                return (nameof(ReceptionBooking), rb.Id.ToString(CultureInfo.InvariantCulture), rb.PetitionId is { } rp ? names.CaseOfPetition(rp) : null,
                    $"接访日 #{rb.ReceptionDayId} {(rb.WalkIn ? "当日来访" : "预约")}{(rb.Decision is { } decision ? $"，{decision.ToChinese()}" : "")}");
            case LeaderVisit lv:
                return (nameof(LeaderVisit), lv.Id.ToString(CultureInfo.InvariantCulture), null,
                    $"领导下访 {lv.On:yyyy-MM-dd} {names.LeaderName(lv.LeaderId)} → {lv.Locality}");
            case LeaderVisitPetition vp:
                return (nameof(LeaderVisitPetition), $"{vp.VisitId}-{vp.PetitionId}", names.CaseOfPetition(vp.PetitionId),
                    $"下访 #{vp.VisitId} 处理信访件 {names.CaseOfPetition(vp.PetitionId)}");
            case AppUser u:
                return (nameof(AppUser), u.UserName, null, $"用户 {u.UserName}（{u.DisplayName}）");
            case IdentityUserRole<string> ur:
                var role = names.RoleName(ur.RoleId);
                return (AuditVocabulary.UserRoleEntity, names.UserName(ur.UserId), null, $"角色 {Roles.ToChinese(role ?? ur.RoleId)}");
            default:
                return (e.Metadata.ClrType.Name, null, null, null);
        }
    }

    /// <summary>
    /// A key column's value as a person reads it: a unit or leader by name, a petition by its 信访编号, a petitioner by
    /// the masked name; any other field as <see cref="Format"/> writes it.
    /// </summary>
    private string? Readable(object entity, string field, object? value, Names names) => (entity, field, value) switch
    {
        (_, _, null) => null,
        (Petition, nameof(Petition.UnitId), int id) => names.UnitName(id),
        (LeaderAssignment, nameof(LeaderAssignment.LeadUnitId), int id) => names.UnitName(id),
        (LeaderAssignment, nameof(LeaderAssignment.LeaderId), int id) => names.LeaderName(id),
        (AppUser, nameof(AppUser.LeaderId), int id) => names.LeaderName(id),
        (ReceptionDay, nameof(ReceptionDay.LeaderId), int id) => names.LeaderName(id),
        (LeaderVisit, nameof(LeaderVisit.LeaderId), int id) => names.LeaderName(id),
        (ReceptionBooking, nameof(ReceptionBooking.UnitId) or nameof(ReceptionBooking.DecisionUnitId), int id) => names.UnitName(id),
        (ReceptionBooking, nameof(ReceptionBooking.PetitionId), int id) => names.CaseOfPetition(id) ?? $"#{id}",
        (PetitionThread, nameof(PetitionThread.FirstPetitionId), int id) => names.CaseOfPetition(id) ?? $"#{id}",
        (Petitioner, nameof(Petitioner.Name), string name) => PersonalData.MaskName(name),
        (Petition, nameof(Petition.PetitionerNames), string list) => PersonalData.MaskNames(list),
        _ => Masked(entity, field, Format(value)),
    };

    /// <summary>
    /// Case numbers, people's, units' and role names the rows mention (docs/rules.md §10: the trail names people, never
    /// internal ids); tracked entities first, then one query per kind.
    /// </summary>
    private static async Task<Names> ResolveNamesAsync(DbContext context, IReadOnlyCollection<EntityEntry> entries, CancellationToken ct)
    {
        var names = new Names();
        foreach (var p in context.ChangeTracker.Entries<Petition>()) names.Petitions[p.Entity.Id] = p.Entity.CaseNumber;
        foreach (var u in context.ChangeTracker.Entries<AppUser>()) names.Users[u.Entity.Id] = u.Entity.UserName;
        foreach (var r in context.ChangeTracker.Entries<Petitioner>()) names.Petitioners[r.Entity.Id] = r.Entity.Name;

        // Assignments of progress rows and extension requests: their thread (for the 信访编号) and leader.
        var assignmentIds = entries.Select(e => e.Entity switch
        {
            AssignmentProgress ap => (int?)ap.AssignmentId,
            AssignmentExtensionRequest x => x.AssignmentId,
            _ => null,
        }).OfType<int>().Distinct().ToList();
        if (assignmentIds.Count > 0)
            foreach (var a in await context.Set<LeaderAssignment>().AsNoTracking().Where(a => assignmentIds.Contains(a.Id))
                         .Select(a => new { a.Id, a.ThreadId, a.LeaderId }).ToListAsync(ct).ConfigureAwait(false))
                names.Assignments[a.Id] = (a.ThreadId, a.LeaderId);

        var petitionIds = entries.Select(e => e.Entity switch
        {
            PetitionPetitioner l => (int?)l.PetitionId,
            RepeatDecision d => d.PetitionId,
            LeaderInstruction li => li.PetitionId,
            ReceptionBooking rb => rb.PetitionId,
            LeaderVisitPetition vp => vp.PetitionId,
            _ => null,
        }).Concat(Values(entries, typeof(PetitionThread), nameof(PetitionThread.FirstPetitionId)))
            .OfType<int>().Where(id => !names.Petitions.ContainsKey(id)).Distinct().ToList();
        if (petitionIds.Count > 0)
            foreach (var p in await context.Set<Petition>().AsNoTracking().Where(p => petitionIds.Contains(p.Id))
                         .Select(p => new { p.Id, p.CaseNumber }).ToListAsync(ct).ConfigureAwait(false))
                names.Petitions[p.Id] = p.CaseNumber;

        var threadIds = entries.Select(e => (e.Entity as LeaderAssignment)?.ThreadId)
            .Concat(names.Assignments.Values.Select(a => (int?)a.ThreadId)).OfType<int>().Distinct().ToList();
        if (threadIds.Count > 0)
            foreach (var t in await (from t in context.Set<PetitionThread>().AsNoTracking()
                                     where threadIds.Contains(t.Id)
                                     join p in context.Set<Petition>() on t.FirstPetitionId equals p.Id
                                     select new { t.Id, p.CaseNumber }).ToListAsync(ct).ConfigureAwait(false))
                names.Threads[t.Id] = t.CaseNumber;

        var petitionerIds = entries.Select(e => (e.Entity as PetitionPetitioner)?.PetitionerId).OfType<int>()
            .Where(id => !names.Petitioners.ContainsKey(id)).Distinct().ToList();
        if (petitionerIds.Count > 0)
            foreach (var r in await context.Set<Petitioner>().AsNoTracking().Where(r => petitionerIds.Contains(r.Id))
                         .Select(r => new { r.Id, r.Name }).ToListAsync(ct).ConfigureAwait(false))
                names.Petitioners[r.Id] = r.Name;

        var leaderIds = entries.Select(e => (e.Entity as LeaderAssignment)?.LeaderId)
            .Concat(names.Assignments.Values.Select(a => (int?)a.LeaderId))
            .Concat(Values(entries, typeof(LeaderAssignment), nameof(LeaderAssignment.LeaderId)))
            .Concat(Values(entries, typeof(AppUser), nameof(AppUser.LeaderId)))
            .Concat(Values(entries, typeof(LeaderInstruction), nameof(LeaderInstruction.LeaderId)))
            .Concat(Values(entries, typeof(ReceptionDay), nameof(ReceptionDay.LeaderId)))
            .Concat(Values(entries, typeof(LeaderVisit), nameof(LeaderVisit.LeaderId))).OfType<int>().Distinct().ToList();
        if (leaderIds.Count > 0)
            foreach (var l in await context.Set<Leader>().AsNoTracking().Where(l => leaderIds.Contains(l.Id))
                         .Select(l => new { l.Id, l.Name }).ToListAsync(ct).ConfigureAwait(false))
                names.Leaders[l.Id] = l.Name;

        var unitIds = Values(entries, typeof(Petition), nameof(Petition.UnitId))
            .Concat(Values(entries, typeof(LeaderAssignment), nameof(LeaderAssignment.LeadUnitId)))
            .Concat(Values(entries, typeof(InstructionUnit), nameof(InstructionUnit.UnitId)))
            .Concat(Values(entries, typeof(SupervisionNotice), nameof(SupervisionNotice.UnitId)))
            .Concat(Values(entries, typeof(ReceptionBooking), nameof(ReceptionBooking.UnitId)))
            .Concat(Values(entries, typeof(ReceptionBooking), nameof(ReceptionBooking.DecisionUnitId))).OfType<int>().Distinct().ToList();
        if (unitIds.Count > 0)
            foreach (var u in await context.Set<Unit>().AsNoTracking().Where(u => unitIds.Contains(u.Id))
                         .Select(u => new { u.Id, u.Name }).ToListAsync(ct).ConfigureAwait(false))
                names.Units[u.Id] = u.Name;

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

    /// <summary>The original and current values of one key column of the given entries: old and new values name it too.</summary>
    private static IEnumerable<int?> Values(IEnumerable<EntityEntry> entries, Type type, string property) =>
        entries.Where(e => e.Entity.GetType() == type || e.Entity.GetType().IsSubclassOf(type))
            .SelectMany(e => new[] { e.Property(property).OriginalValue as int?, e.Property(property).CurrentValue as int? });

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
        ExtensionRequestStatus x => x.ToChinese(),
        HalfDay h => h.ToChinese(),
        ReceptionDecision rd => rd.ToChinese(),
        GeneratedDocumentKind k => k == GeneratedDocumentKind.SupervisionNotices ? "督办单" : "督办通报",
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
        public Dictionary<int, string> Leaders { get; } = [];
        public Dictionary<int, string> Units { get; } = [];
        public Dictionary<int, string> Petitioners { get; } = [];
        public Dictionary<int, (int ThreadId, int LeaderId)> Assignments { get; } = [];
        public string LeaderName(int id) => Leaders.GetValueOrDefault(id) ?? $"#{id}";
        public string UnitName(int id) => Units.GetValueOrDefault(id) ?? $"#{id}";
        /// <summary>Masked like every petitioner name shown to people who may not see personal data (docs/rules.md §10).</summary>
        public string PetitionerName(int id) => Petitioners.TryGetValue(id, out var n) ? PersonalData.MaskName(n)! : $"#{id}";
        public string? CaseOfAssignment(int id) => Assignments.TryGetValue(id, out var a) ? CaseOfThread(a.ThreadId) : null;
        /// <summary>"王建国包案": the 包案 by its leader's name (its 信访编号 is in the row's own column).</summary>
        public string AssignmentText(int id) => Assignments.TryGetValue(id, out var a) ? $"{LeaderName(a.LeaderId)}包案" : $"包案 #{id}";
    }
}
