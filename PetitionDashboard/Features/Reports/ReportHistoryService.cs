using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Infrastructure.Downloads;

namespace PetitionDashboard.Features.Reports;

public sealed record HistoryNotice(int Id, string Unit, int Overdue, int Listed, int Assignments, DateOnly ResponseDueOn);

/// <summary>One generated 通报 or 督办单 generation of the reports page's history.</summary>
public sealed record HistoryEntry(
    int Id, GeneratedDocumentKind Kind, IsoWeek Week, DateTime GeneratedAtUtc, string GeneratedBy, int? Units, int? RemindersAdded,
    IReadOnlyList<HistoryNotice> Notices);

/// <summary>A line of the 汇总 preview: the figure this week and the week before.</summary>
public sealed record PreviewFigure(string Name, FigureKind Kind, double? ThisWeek, double? PreviousWeek, double? Target);

public sealed record ReportPreview(IsoWeek Week, DateTime AsOfUtc, bool Published, IReadOnlyList<PreviewFigure> Figures);

/// <summary>
/// The reports page's history (every generated 通报 and 督办单: who, when, which week, downloadable again) and its preview of
/// the week's 汇总 figures — the same stored statistics and figure list (<see cref="StatisticFigures"/>) the 汇总 sheet shows.
/// </summary>
public sealed class ReportHistoryService(
    IDbContextFactory<AppDbContext> dbs, AccessGuard guard, PreparedDownloads downloads, SupervisionReportSource source, StatisticsService statistics)
{
    public const int Shown = 50;

    /// <summary>Keeps a 通报 the reports page has just published and lists it in the history.</summary>
    public async Task RecordReportAsync(PreparedDownload file, IsoWeek week, DateTime generatedAtUtc, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanExport);
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.PreparedFiles.Where(f => f.Id == file.Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.Kept, true), ct);
        db.GeneratedDocuments.Add(new GeneratedDocument
        {
            Kind = GeneratedDocumentKind.SupervisionReport, WeekMonday = week.Monday, GeneratedAtUtc = generatedAtUtc,
            GeneratedBy = guard.ActorName, FileId = file.Id,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanExport);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.GeneratedDocuments.AsNoTracking().OrderByDescending(d => d.GeneratedAtUtc).ThenByDescending(d => d.Id).Take(Shown)
            .Select(d => new
            {
                d.Id, d.Kind, d.WeekMonday, d.GeneratedAtUtc, d.GeneratedBy, d.UnitCount, d.RemindersAdded,
                Notices = d.Notices.OrderBy(n => n.Unit.Name)
                    .Select(n => new HistoryNotice(n.Id, n.Unit.Name, n.OverdueCount, n.ListedCount, n.AssignmentCount, n.ResponseDueOn)).ToList(),
            })
            .ToListAsync(ct);
        return [.. rows.Select(r => new HistoryEntry(r.Id, r.Kind, IsoWeek.Of(r.WeekMonday), r.GeneratedAtUtc, r.GeneratedBy, r.UnitCount,
            r.RemindersAdded, r.Notices))];
    }

    /// <summary>A kept 通报 of the history.</summary>
    public async Task<PreparedDownload?> ReportFileAsync(int documentId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanExport);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var fileId = await db.GeneratedDocuments.AsNoTracking()
            .Where(d => d.Id == documentId && d.Kind == GeneratedDocumentKind.SupervisionReport).Select(d => d.FileId).FirstOrDefaultAsync(ct);
        return fileId is { } id ? await downloads.FindKeptAsync(id, ReportEndpoints.ReportKind, ct) : null;
    }

    public async Task<GeneratedDocumentKind?> KindAsync(int documentId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanExport);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.GeneratedDocuments.AsNoTracking().Where(d => d.Id == documentId).Select(d => (GeneratedDocumentKind?)d.Kind).FirstOrDefaultAsync(ct);
    }

    /// <summary>The 汇总 figures of the week (and the week before), as the 通报 would show them; null when not computed.</summary>
    public async Task<ReportPreview?> PreviewAsync(IsoWeek week, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanExport);
        var report = await source.StatisticsAsync(week, ct);
        if (report is null) return null;
        var previous = await source.AllUnitsAsync(week.Previous, ct);
        return new ReportPreview(week, report.Week.AsOfUtc, report.Week.Published, [.. StatisticFigures.All.Select(f => new PreviewFigure(
            f.Name, f.Kind, report.All.Value(f.Figure), previous?.Value(f.Figure),
            statistics.Targets.TryGetValue(f.Name, out var t) ? t : null))]);
    }
}
