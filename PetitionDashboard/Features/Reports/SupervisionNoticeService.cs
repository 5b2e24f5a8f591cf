using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Infrastructure.Downloads;
using PetitionDashboard.Infrastructure.Files;

namespace PetitionDashboard.Features.Reports;

/// <summary>
/// 挂牌督办: an open petition of the unit at the 挂牌督办 level when the 督办单 is made. No ID number or phone: the unit
/// needs the case, not the person's numbers (the 超期清单 section carries them masked, as in the 通报).
/// </summary>
public sealed record NoticeListedRow(
    string CaseNumber, string Petitioners, string Locality, string Category, string? Leader, DateOnly? Due, int? DaysOverdue, int Reminders);

/// <summary>Everything one unit's 督办单 shows.</summary>
public sealed record NoticeContent(
    string Bureau, IsoWeek Week, string Unit, DateTime GeneratedAtUtc, string GeneratedBy, DateOnly ResponseDueOn,
    IReadOnlyList<ReportOverdueRow> Overdue, IReadOnlyList<NoticeListedRow> Listed, IReadOnlyList<ReportAssignmentRow> Assignments);

/// <summary>A unit a Supervisor may choose to generate 督办单 for.</summary>
public sealed record NoticeUnitChoice(int Id, string Name);

/// <summary>What one generation did.</summary>
public sealed record NoticeGeneration(int DocumentId, IsoWeek Week, int Units, int RemindersAdded, int AlreadyReminded);

/// <summary>
/// 督办单 (docs/rules.md §13): for a week, one workbook per unit with its rows of the week's 超期清单 (the report's own query,
/// <see cref="SupervisionReportSource.OverdueAsync"/>), its 挂牌督办 cases and its 包案 past deadline, with a 反馈 deadline.
/// Generating records one 催办 per listed open petition and week (<see cref="NoticeReminder"/>'s key makes a second
/// generation of the week add none), and keeps every workbook so the reports page can hand it out again.
/// </summary>
public sealed class SupervisionNoticeService(
    IDbContextFactory<AppDbContext> dbs, SupervisionReportSource source, PreparedDownloads downloads, AccessGuard guard, AuditLog audit,
    TimeProvider clock, DeadlineCalculator deadlines, IOptions<BureauOptions> bureau, IOptions<NoticeOptions> options)
{
    public const string FileKind = "supervision-notice";

    public static string ZipName(IsoWeek week) => $"督办单-{week}.zip";

    public static string FileName(IsoWeek week, string unit) => $"督办单-{week}-{unit}.xlsx";

    public int ResponseWorkingDays => options.Value.ResponseWorkingDays;

    /// <summary>The 反馈 deadline of a 督办单 made today: working days counted from the day after.</summary>
    public DateOnly ResponseDue() => deadlines.Calendar.AddWorkingDays(clock.Today(), options.Value.ResponseWorkingDays);

    /// <summary>The units a Supervisor may choose for a partial generation, counties first.</summary>
    public async Task<IReadOnlyList<NoticeUnitChoice>> UnitsAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanIssueNotices);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name).Select(u => new NoticeUnitChoice(u.Id, u.Name)).ToListAsync(ct);
    }

    /// <summary>The ids of units named on the command line; an unknown name is refused with the names that exist nowhere.</summary>
    public async Task<IReadOnlyList<int>> UnitIdsAsync(IReadOnlyCollection<string> names, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanIssueNotices);
        var wanted = names.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var found = await db.Units.AsNoTracking().Where(u => wanted.Contains(u.Name)).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        var unknown = wanted.Where(n => found.All(f => f.Name != n)).ToList();
        if (unknown.Count > 0) throw new ActionRefusedException($"单位：没有名为“{string.Join("”“", unknown)}”的单位");
        return [.. found.Select(f => f.Id)];
    }

    /// <summary>
    /// Generates the week's 督办单: for every unit with something to list, or — <paramref name="unitIds"/> given — only for those
    /// of the chosen units that have; only the petitions listed in the generated 督办单 get their 催办.
    /// </summary>
    public async Task<NoticeGeneration> GenerateAsync(IsoWeek week, IReadOnlyCollection<int>? unitIds = null, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanIssueNotices);
        var today = clock.Today();
        if (week.Monday > today) throw new ActionRefusedException($"统计周 {week} 尚未开始，不能生成督办单");
        var chosen = unitIds is { Count: > 0 } ? await ChosenUnitNamesAsync(unitIds, ct) : null;
        var now = clock.GetUtcNow().UtcDateTime;
        var due = ResponseDue();
        var actor = guard.ActorName;

        // The week's 超期清单, exactly as the 通报 lists it, split by unit.
        // A partial generation keeps only the chosen units' rows, so the 催办 below reach only what those 督办单 list.
        bool Wanted(string unit) => chosen is null || chosen.Contains(unit);
        var overdue = new List<ReportOverdueRow>();
        await foreach (var row in source.OverdueAsync(week, ct)) if (Wanted(row.Unit)) overdue.Add(row);
        var assignments = (await source.AssignmentsAsync(week, ct)).Where(a => a.DaysOverdue is not null && Wanted(a.Unit)).ToList();
        var listed = (await ListedAsync(week, today, ct)).Where(l => Wanted(l.Unit)).ToList();

        var unitNames = overdue.Select(r => r.Unit).Concat(listed.Select(l => l.Unit)).Concat(assignments.Select(a => a.Unit))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        if (unitNames.Count == 0)
            throw new ActionRefusedException(chosen is null
                ? $"{week} 没有超期信访件、挂牌督办件或超期包案，无需生成督办单"
                : $"所选单位（{string.Join("、", chosen.Order(StringComparer.Ordinal))}）{week} 没有超期信访件、挂牌督办件或超期包案，无需生成督办单");

        await using var db = await dbs.CreateDbContextAsync(ct);
        var units = await db.Units.AsNoTracking().Where(u => unitNames.Contains(u.Name)).ToDictionaryAsync(u => u.Name, u => u.Id, ct);
        var listedNumbers = listed.Select(l => l.Row.CaseNumber).ToHashSet();
        var petitionIds = await IdsAsync(db, overdue.Select(r => r.CaseNumber).Concat(listedNumbers).Distinct().ToList(), ct);
        var reminded = await RemindedAsync(db, [.. petitionIds.Values.Select(p => p.Id)], week.Monday, ct);
        int Reminders(string caseNumber, int stored) =>
            petitionIds.TryGetValue(caseNumber, out var p) && p.Open && !reminded.Contains(p.Id) ? stored + 1 : stored;

        var files = new List<(PreparedDownload File, SupervisionNotice Notice)>();
        try
        {
            foreach (var unit in unitNames)
            {
                var content = new NoticeContent(bureau.Value.Name, week, unit, now, actor, due,
                    [.. overdue.Where(r => r.Unit == unit).Select(r => r with { Reminders = Reminders(r.CaseNumber, r.Reminders) })],
                    [.. listed.Where(l => l.Unit == unit).Select(l => l.Row with { Reminders = Reminders(l.Row.CaseNumber, l.Row.Reminders) })],
                    [.. assignments.Where(a => a.Unit == unit)]);
                var file = downloads.Reserve(guard.User.UserName ?? actor, FileKind, week.ToString(), FileName(week, unit));
                await using (var stream = PrivateTempFiles.Create(file.Path)) SupervisionNoticeWriter.Write(content, stream);
                // Published unkept: if the transaction below fails, the sweep removes them like any expired download.
                await downloads.PublishAsync(file, ct);
                files.Add((file, new SupervisionNotice
                {
                    UnitId = units[unit], ResponseDueOn = due, OverdueCount = content.Overdue.Count, ListedCount = content.Listed.Count,
                    AssignmentCount = content.Assignments.Count, FileId = file.Id,
                }));
            }
        }
        catch
        {
            foreach (var (file, _) in files) downloads.Discard(file);
            throw;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // 催办: once per open listed petition and week; read again inside the transaction.
        var open = petitionIds.Values.Where(p => p.Open).Select(p => p.Id).ToList();
        var already = await RemindedAsync(db, open, week.Monday, ct);
        var toRemind = open.Where(id => !already.Contains(id)).ToList();
        var document = new GeneratedDocument
        {
            Kind = GeneratedDocumentKind.SupervisionNotices, WeekMonday = week.Monday, GeneratedAtUtc = now, GeneratedBy = actor,
            UnitCount = files.Count, RemindersAdded = toRemind.Count, Notices = [.. files.Select(f => f.Notice)],
        };
        db.GeneratedDocuments.Add(document);
        await db.SaveChangesAsync(ct);
        foreach (var chunk in toRemind.Chunk(SqlLimits.KeysPerStatement))
        {
            var petitions = await db.Petitions.Where(p => chunk.Contains(p.Id)).ToListAsync(ct);
            foreach (var p in petitions)
            {
                p.RemindersSent++;
                db.NoticeReminders.Add(new NoticeReminder { PetitionId = p.Id, WeekMonday = week.Monday, DocumentId = document.Id });
                db.PetitionEvents.Add(new PetitionEvent
                {
                    PetitionId = p.Id, Kind = PetitionEventKind.Reminder, AtUtc = now, On = today, Actor = actor,
                    Detail = $"第 {p.RemindersSent} 次催办（{week} 督办单）",
                    Note = $"请于 {due:yyyy-MM-dd} 前反馈办理情况",
                });
            }
        }
        var fileIds = files.Select(f => f.File.Id).ToList();
        await db.PreparedFiles.Where(f => fileIds.Contains(f.Id)).ExecuteUpdateAsync(u => u.SetProperty(f => f.Kept, true), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        await audit.RecordExportAsync($"督办单 {week}（{files.Count} 个单位，新增催办 {toRemind.Count} 件）", ct: ct);
        return new NoticeGeneration(document.Id, week, files.Count, toRemind.Count, already.Count);
    }

    /// <summary>Writes the .zip of one generation (one .xlsx per unit) from the kept workbooks.</summary>
    public async Task<string> WriteZipAsync(int documentId, Stream output, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanExport);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var document = await db.GeneratedDocuments.AsNoTracking()
            .FirstOrDefaultAsync(d => d.Id == documentId && d.Kind == GeneratedDocumentKind.SupervisionNotices, ct)
            ?? throw new ActionRefusedException("该督办单不存在，请在“督办通报”页面的生成记录中重新选择。");
        var notices = await db.SupervisionNotices.AsNoTracking().Where(n => n.DocumentId == documentId).OrderBy(n => n.Unit.Name)
            .Select(n => new { n.FileId, Unit = n.Unit.Name }).ToListAsync(ct);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var n in notices)
            {
                var file = await downloads.FindKeptAsync(n.FileId, FileKind, ct)
                    ?? throw new ActionRefusedException($"{n.Unit} 的督办单文件已不存在");
                var entry = zip.CreateEntry(FileName(document.Week, n.Unit), CompressionLevel.Optimal);
                await using var target = entry.Open();
                await downloads.CopyToAsync(file, target, ct);
            }
        }
        await audit.RecordExportAsync($"督办单 {document.Week}（再次下载，{notices.Count} 个单位）", ct: ct);
        return ZipName(document.Week);
    }

    /// <summary>One unit's kept 督办单.</summary>
    public async Task<PreparedDownload> NoticeFileAsync(int noticeId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanExport);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var fileId = await db.SupervisionNotices.AsNoTracking().Where(n => n.Id == noticeId).Select(n => (Guid?)n.FileId).FirstOrDefaultAsync(ct);
        var file = fileId is { } id ? await downloads.FindKeptAsync(id, FileKind, ct) : null;
        if (file is null) throw new ActionRefusedException("该督办单不存在。");
        await audit.RecordExportAsync($"督办单 {file.DownloadName}", ct: ct);
        return file;
    }

    private sealed record PetitionKey(int Id, bool Open);

    private async Task<HashSet<string>> ChosenUnitNamesAsync(IReadOnlyCollection<int> unitIds, CancellationToken ct)
    {
        var ids = unitIds.Distinct().ToList();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var names = await db.Units.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => u.Name).ToListAsync(ct);
        if (names.Count != ids.Count) throw new ActionRefusedException("单位：所选单位不存在，请刷新页面后重选");
        return names.ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<Dictionary<string, PetitionKey>> IdsAsync(AppDbContext db, List<string> caseNumbers, CancellationToken ct)
    {
        var open = PetitionLifecycle.OpenStates.ToList();
        var result = new Dictionary<string, PetitionKey>();
        foreach (var chunk in caseNumbers.Chunk(SqlLimits.KeysPerStatement))
            foreach (var p in await db.Petitions.AsNoTracking().Where(p => chunk.Contains(p.CaseNumber))
                         .Select(p => new { p.CaseNumber, p.Id, Open = open.Contains(p.State) }).ToListAsync(ct))
                result[p.CaseNumber] = new PetitionKey(p.Id, p.Open);
        return result;
    }

    private static async Task<HashSet<int>> RemindedAsync(AppDbContext db, List<int> petitionIds, DateOnly monday, CancellationToken ct)
    {
        var result = new HashSet<int>();
        foreach (var chunk in petitionIds.Chunk(SqlLimits.KeysPerStatement))
            result.UnionWith(await db.NoticeReminders.Where(r => r.WeekMonday == monday && chunk.Contains(r.PetitionId)).Select(r => r.PetitionId).ToListAsync(ct));
        return result;
    }

    /// <summary>Open petitions at 挂牌督办 today that were already received by the end of the week, with their unit.</summary>
    private async Task<List<(string Unit, NoticeListedRow Row)>> ListedAsync(IsoWeek week, DateOnly today, CancellationToken ct)
    {
        var open = PetitionLifecycle.OpenStates.ToList();
        var sunday = week.Sunday;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.Petitions.AsNoTracking()
            .Where(p => p.Supervision == SupervisionLevel.Listed && open.Contains(p.State) && p.ReceivedOn <= sunday)
            .OrderBy(p => p.Unit.Name).ThenBy(p => p.CaseNumber)
            .Select(p => new
            {
                Unit = p.Unit.Name, p.CaseNumber, p.PetitionerNames, p.Locality, p.Category,
                Leader = p.Thread.Assignments.OrderByDescending(a => a.AssignedOn).Select(a => a.Leader.Name).FirstOrDefault(),
                p.CurrentDueDate, p.RemindersSent,
            })
            .ToListAsync(ct);
        return [.. rows.Select(r => (r.Unit, new NoticeListedRow(
            r.CaseNumber, r.PetitionerNames, r.Locality, r.Category, r.Leader, r.CurrentDueDate, r.CurrentDueDate is { } d ? Math.Max(0, DeadlineStatusRule.DaysOverdue(d, today)) : null, r.RemindersSent)))];
    }
}
