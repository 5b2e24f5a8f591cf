using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Repeats;

namespace PetitionDashboard.Features.Registration;

/// <summary>The duty officer's answer to the candidates shown while typing.</summary>
public enum RepeatChoice
{
    /// <summary>No answer yet: saving is refused while same-matter candidates exist.</summary>
    Undecided = 0,
    /// <summary>新事项: a first petition on a new thread; the candidates shown are kept as "not a repeat".</summary>
    NewMatter = 1,
    /// <summary>重复件: joins the thread of <see cref="RegistrationDraft.RepeatOfPetitionId"/>.</summary>
    RepeatOf = 2,
}

/// <summary>The registration form (登记): everything the officer enters.</summary>
public sealed class RegistrationDraft
{
    public List<PetitionerDraft> Petitioners { get; set; } = [new(null, null, null)];
    public PetitionForm? Form { get; set; }
    public int? PeopleCount { get; set; } = 1;
    public string? Locality { get; set; }
    public string? Category { get; set; }
    public PetitionPurpose? Purpose { get; set; }
    public string? Demand { get; set; }
    public int? UnitId { get; set; }
    /// <summary>收到日期; defaults to today.</summary>
    public DateOnly? ReceivedOn { get; set; }
    public RepeatChoice Choice { get; set; }
    public int? RepeatOfPetitionId { get; set; }
    /// <summary>Required when the chosen petition is not the same matter by rule (a hand link).</summary>
    public string? LinkReason { get; set; }
    /// <summary>外部编号: the national 信访件编号 when the petition already has one (optional, unique when present).</summary>
    public string? ExternalNumber { get; set; }

    public RepeatProbe Probe(DateOnly? receivedOn = null) =>
        RepeatProbe.For(Petitioners, Locality, Category, Demand, receivedOn ?? ReceivedOn);
}

public sealed record RegistrationResult(int PetitionId, string CaseNumber, int ThreadId, bool IsRepeat, DateOnly FirstDecisionDue);


public sealed record Choice(int Id, string Name);

/// <summary>
/// 登记 (docs/rules.md §4, §6): validates the form, upserts petitioners by identity key, numbers the petition, registers it with its
/// first event and first-decision deadline, and puts it on a thread — new, or the earlier one it repeats — in one transaction.
/// </summary>
public sealed class RegistrationService(
    IDbContextFactory<AppDbContext> dbFactory, RepeatDetectionService detection, ThreadLinkingService linking,
    DeadlineCalculator deadlines, TimeProvider clock, AccessGuard guard, PersonalDataProtector personalData)
{
    /// <summary>信访编号 = "LC" + registration date yyyyMMdd (Shanghai) + a 5-digit sequence of that day, e.g. LC2026112300001.</summary>
    public const string CaseNumberPrefix = "LC";

    private const int SequenceDigits = 5;
    private const int MaxAttempts = 5;

    public async Task<IReadOnlyList<Choice>> UnitsAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanRegister);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name)
            .Select(u => new Choice(u.Id, u.Name)).ToListAsync(ct);
    }

    /// <summary>问题属地 choices: the county / district units (master data).</summary>
    public async Task<IReadOnlyList<string>> LocalitiesAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanRegister);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LocalityNames(db).ToListAsync(ct);
    }

    /// <summary>The 问题属地 code table: the names of the county / district units.</summary>
    internal static IQueryable<string> LocalityNames(AppDbContext db) =>
        db.Units.AsNoTracking().Where(u => u.Kind == PetitionFieldRules.LocalityKind).OrderBy(u => u.Name).Select(u => u.Name);

    public async Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanRegister);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Categories.AsNoTracking().Where(c => c.Active).OrderBy(c => c.SortOrder)
            .Select(c => c.Name).ToListAsync(ct);
        return names.Count > 0 ? names : DomainText.Categories;
    }

    /// <summary>The candidates the form shows while the officer types (same lookup as at save).</summary>
    public Task<IReadOnlyList<RepeatCandidate>> CandidatesAsync(RegistrationDraft draft, CancellationToken ct = default) =>
        detection.FindCandidatesAsync(draft.Probe(), ct);

    /// <summary>Registers the petition as the current user; refuses (<see cref="ActionRefusedException"/>, every problem listed, nothing written) bad input.</summary>
    public async Task<RegistrationResult> RegisterAsync(RegistrationDraft draft, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanRegister);
        var actor = guard.User.UserName!;
        var today = clock.Today();
        var errors = Validate(draft, today);
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);

        for (var attempt = 1; ; attempt++)
        {
            string? caseNumber = null;
            try
            {
                return await RegisterOnceAsync(draft, actor, today, n => caseNumber = n, ct);
            }
            catch (DbUpdateException) when (attempt < MaxAttempts && caseNumber is not null)
            {
                // Another registration may have taken the same daily sequence number between our read and our write:
                // number again; any other failure is not ours to retry.
                if (!await CaseNumberTakenAsync(caseNumber, ct)) throw;
            }
        }
    }

    private async Task<RegistrationResult> RegisterOnceAsync(
        RegistrationDraft draft, string actor, DateOnly today, Action<string> numbered, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var errors = new List<string>();

        var unit = await db.Units.FirstOrDefaultAsync(u => u.Id == draft.UnitId, ct);
        if (unit is null) errors.Add("责任单位：不是已登记的单位");
        var externalNumber = ExternalNumbers.Normalize(draft.ExternalNumber);
        try
        {
            await db.EnsureFreeAsync(externalNumber, null, ct);
        }
        catch (ActionRefusedException taken)
        {
            errors.AddRange(taken.Problems);
        }
        var categories = await db.Categories.AsNoTracking().Where(c => c.Active).Select(c => c.Name).ToListAsync(ct);
        if (categories.Count == 0) categories = [.. DomainText.Categories];
        var category = draft.Category!.Trim();
        if (PetitionFieldRules.Category(category, categories) is { } categoryError) errors.Add($"内容分类：{categoryError}");
        var localities = await LocalityNames(db).ToListAsync(ct);
        if (PetitionFieldRules.Locality(draft.Locality, localities) is { } localityError) errors.Add($"问题属地：{localityError}");

        var receivedOn = draft.ReceivedOn ?? today;
        // Detection again inside the transaction: the officer's screen may be seconds old.
        var candidates = await detection.FindCandidatesAsync(db, draft.Probe(receivedOn), ct);
        var sameMatter = candidates.Where(c => c.IsSameMatter).ToList();
        int? threadId = null;
        string linkNote = "";
        switch (draft.Choice)
        {
            case RepeatChoice.Undecided when sameMatter.Count > 0:
                errors.Add($"重复件判定：发现 {sameMatter.Count} 条疑似重复的信访事项链，请确认“重复件”或“新事项”");
                break;
            case RepeatChoice.RepeatOf:
                var target = draft.RepeatOfPetitionId is { } targetId
                    ? await db.Petitions.AsNoTracking().Where(p => p.Id == targetId)
                        .Select(p => new { p.ThreadId, p.CaseNumber, p.ReceivedOn }).FirstOrDefaultAsync(ct)
                    : null;
                if (target is null)
                {
                    errors.Add("重复件判定：请选择所重复的信访事项");
                    break;
                }
                if (target.ReceivedOn > receivedOn) errors.Add($"重复件判定：{target.CaseNumber} 的登记日期晚于本件，不能作为其重复件");
                var byRule = sameMatter.FirstOrDefault(c => c.ThreadId == target.ThreadId);
                if (byRule is not null)
                    linkNote = $"登记时确认为 {target.CaseNumber} 的重复件（诉求相似度 {byRule.SimilarityPercent}%）";
                else if (string.IsNullOrWhiteSpace(draft.LinkReason))
                    errors.Add("关联理由：所选信访事项未达到自动认定条件（同一信访人、同一属地和分类、诉求相似度达标），人工认定重复件须填写理由");
                else
                    linkNote = $"登记时人工认定为 {target.CaseNumber} 的重复件：{draft.LinkReason.Trim()}";
                threadId = target.ThreadId;
                break;
        }
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var petitioners = await UpsertPetitionersAsync(db, draft.Petitioners, personalData, ct);
        var caseNumber = await NextCaseNumberAsync(db, today, ct);
        numbered(caseNumber);
        var petition = new Petition
        {
            CaseNumber = caseNumber,
            Form = draft.Form!.Value,
            Purpose = draft.Purpose,
            PeopleCount = draft.PeopleCount!.Value,
            Locality = draft.Locality!.Trim(),
            Category = category,
            Demand = draft.Demand!.Trim(),
            UnitId = unit!.Id,
            PetitionerNames = string.Join('、', petitioners.Select(p => p.Name)),
            ReceivedOn = receivedOn,
            ExternalNumber = externalNumber,
        };
        foreach (var p in petitioners) petition.Petitioners.Add(new PetitionPetitioner { Petition = petition, Petitioner = p });
        PetitionLifecycle.Register(petition, now, actor, deadlines);

        await linking.JoinNewAsync(db, petition, threadId, linkNote, actor, ct);
        if (draft.Choice == RepeatChoice.NewMatter && sameMatter.Count > 0)
        {
            await ThreadLinkingService.KeepDecisionsAsync(db, petition.Id, sameMatter.Select(c => c.ThreadId),
                "登记时值班人员确认为新事项（非重复件）", actor, now, ct);
            petition.Events.Add(new PetitionEvent
            {
                PetitionId = petition.Id, Kind = PetitionEventKind.RepeatUnlinked, AtUtc = now, On = today, Actor = actor,
                Detail = $"确认为新事项，不并入疑似重复的信访事项链 {string.Join("、", sameMatter.Select(c => $"#{c.ThreadId}（首件 {c.ThreadFirstCaseNumber}）"))}",
                Note = "登记时确认",
            });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new RegistrationResult(petition.Id, petition.CaseNumber, petition.ThreadId, petition.IsRepeat, petition.CurrentDueDate!.Value);
    }

    /// <summary>Field rules, in zh-CN naming the field and the rule; empty when the draft can be saved.</summary>
    public static IReadOnlyList<string> Validate(RegistrationDraft draft, DateOnly today)
    {
        var errors = new List<string>();
        var people = draft.Petitioners.Where(p => !IsBlank(p)).ToList();
        if (people.Count == 0) errors.Add("信访人：至少填写一人");
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < people.Count; i++)
        {
            var p = people[i];
            var label = people.Count > 1 ? $"信访人{i + 1}" : "信访人";
            // One set of field rules for registration and the ledger import (PetitionFieldRules).
            if (PetitionFieldRules.PersonName(p.Name) is { } nameError) errors.Add($"{label}姓名：{nameError}");
            if (PetitionFieldRules.IdNumber(p.IdNumber) is { } idError) errors.Add($"{label}身份证号：{idError}");
            if (PetitionFieldRules.Phone(p.Phone) is { } phoneError) errors.Add($"{label}联系电话：{phoneError}");
            if (PetitionFieldRules.Address(p.Address) is { } addressError) errors.Add($"{label}地址：{addressError}");
            if (p.IdentityKey is { } key && !seenKeys.Add(key)) errors.Add($"{label}：与前面的信访人是同一人（身份证号或姓名+电话相同）");
        }
        if (draft.Form is null) errors.Add("信访形式：必选");
        if (draft.PeopleCount is not { } count || count < 1) errors.Add("人数：必须为不小于1的整数");
        else if (count < people.Count) errors.Add($"人数：不能少于所填信访人数（{people.Count}人）");
        if (string.IsNullOrWhiteSpace(draft.Locality)) errors.Add("问题属地：必填");
        if (string.IsNullOrWhiteSpace(draft.Category)) errors.Add("内容分类：必选");
        if (PetitionFieldRules.Demand(draft.Demand) is { } demandError) errors.Add($"诉求摘要：{demandError}");
        if (draft.UnitId is null) errors.Add("责任单位：必选");
        if (draft.ReceivedOn is { } on && on > today) errors.Add($"收到日期：不能晚于今天（{today:yyyy-MM-dd}）");
        if (string.Join('、', people.Select(p => p.Name?.Trim())).Length > FieldLengths.PetitionerNames) errors.Add($"信访人：姓名合计不能超过{FieldLengths.PetitionerNames}字");
        return errors;
    }

    /// <summary>Why an entered 身份证号 is refused (GB 11643), or null when it is empty or valid.</summary>
    public static string? IdNumberError(string? idNumber) => PetitionFieldRules.IdNumber(idNumber);

    private static bool IsBlank(PetitionerDraft p) =>
        string.IsNullOrWhiteSpace(p.Name) && string.IsNullOrWhiteSpace(p.IdNumber) && string.IsNullOrWhiteSpace(p.Phone)
        && string.IsNullOrWhiteSpace(p.Address);

    /// <summary>
    /// One petitioner per identity key: an existing one is reused (its missing contact details filled in); a person without a
    /// key (a bare name) gets a key of their own that never matches anyone ("NK:" + a random id).
    /// </summary>
    private static async Task<List<Petitioner>> UpsertPetitionersAsync(
        AppDbContext db, IEnumerable<PetitionerDraft> drafts, PersonalDataProtector personalData, CancellationToken ct)
    {
        var result = new List<Petitioner>();
        foreach (var d in drafts.Where(p => !IsBlank(p)))
        {
            var key = d.IdentityKey;
            var name = d.Name!.Trim();
            var id = ChineseIdNumber.IsValid(d.IdNumber) ? ChineseIdNumber.Normalize(d.IdNumber) : null;
            var phone = string.IsNullOrWhiteSpace(d.Phone) ? null : d.Phone.Trim();
            var address = string.IsNullOrWhiteSpace(d.Address) ? null : d.Address.Trim();
            var stored = key is null ? [] : personalData.LookupKeys([key]);
            var existing = key is null ? null
                : await db.Petitioners.WithIdentityKeys(stored).OrderBy(p => p.Id).FirstOrDefaultAsync(ct);
            if (existing is null)
            {
                existing = personalData.NewPetitioner(name, id, phone, address, key);
                db.Petitioners.Add(existing);
            }
            else
            {
                if (phone is not null) personalData.UpdatePhone(existing, phone);
                existing.Address = address ?? existing.Address;
                if (existing.IdNumber is null) personalData.UpdateIdNumber(existing, id);
            }
            result.Add(existing);
        }
        return result;
    }

    /// <summary>Next number of the day, read inside the registration's transaction (an index range on the unique CaseNumber).</summary>
    private static async Task<string> NextCaseNumberAsync(AppDbContext db, DateOnly today, CancellationToken ct)
    {
        var prefix = CaseNumberPrefix + today.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var upper = prefix + ":"; // ':' follows '9': every prefix + digits sorts below it
        var length = prefix.Length + SequenceDigits;
        var last = await db.Petitions.AsNoTracking()
            .Where(p => string.Compare(p.CaseNumber, prefix) > 0 && string.Compare(p.CaseNumber, upper) < 0 && p.CaseNumber.Length == length)
            .OrderByDescending(p => p.CaseNumber).Select(p => p.CaseNumber).FirstOrDefaultAsync(ct);
        var next = last is not null && int.TryParse(last.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n + 1 : 1;
        if (next >= (int)Math.Pow(10, SequenceDigits)) throw new ActionRefusedException($"信访编号：{today:yyyy-MM-dd} 的登记序号已用完");
        return prefix + next.ToString(new string('0', SequenceDigits), CultureInfo.InvariantCulture);
    }

    private async Task<bool> CaseNumberTakenAsync(string caseNumber, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Petitions.AnyAsync(p => p.CaseNumber == caseNumber, ct);
    }
}
