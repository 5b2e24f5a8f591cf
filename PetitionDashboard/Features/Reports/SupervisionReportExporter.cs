using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Infrastructure.Progress;

namespace PetitionDashboard.Features.Reports;

/// <summary>Section "Bureau": the name the report's title rows carry.</summary>
public sealed class BureauOptions
{
    public const string Section = "Bureau";
    public string Name { get; set; } = "信访局";
}

/// <summary>Where an export is: reading the figures, or writing rows (of <see cref="ExpectedRows"/> in the 超期清单).</summary>
public sealed record ReportProgress(string Stage, int RowsWritten, int ExpectedRows);

/// <summary>
/// The one way a 督办通报 is made — by the download endpoint, the reports page and the <c>export-report</c> command alike:
/// checks the right to export, refuses a week without statistics, records the export (who, which week, when) before
/// writing, then writes the workbook to the stream.
/// </summary>
public sealed class SupervisionReportExporter(
    SupervisionReportSource source, StatisticsService statistics, AccessGuard guard, AuditLog audit, TimeProvider clock,
    IOptions<BureauOptions> bureau)
{
    /// <summary>The last full week (docs/rules.md §9's default).</summary>
    public IsoWeek DefaultWeek() => IsoWeek.Of(clock.Today()).Previous;

    public static string FileName(IsoWeek week) => $"督办通报-{week}.xlsx";

    public async Task<ReportWriteResult> ExportAsync(IsoWeek week, Stream output, IProgress<ReportProgress>? progress = null, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanExport);
        progress?.Report(new ReportProgress("读取统计数据", 0, 0));
        var figures = await source.StatisticsAsync(week, ct)
            ?? throw new ActionRefusedException($"{week} 尚未统计，无法生成督办通报：请先在“周统计”页面重新计算（或运行 recompute-statistics）。");
        var previous = await source.AllUnitsAsync(week.Previous, ct);
        var assignments = await source.AssignmentsAsync(week, ct);
        var overdue = await source.OverdueCountAsync(week, ct);

        await audit.RecordExportAsync($"督办通报 {week}（{week.Monday:yyyy-MM-dd}至{week.Sunday:yyyy-MM-dd}）", ct: ct);

        var content = new SupervisionReportContent(
            bureau.Value.Name, week, clock.GetUtcNow().UtcDateTime, guard.ActorName,
            figures, previous, assignments, overdue, source.OverdueAsync(week, ct), source.RepeatsAsync(week, ct),
            statistics.Targets, statistics.AmberMargin);
        progress?.Report(new ReportProgress("写入清单", 0, overdue));
        var rows = progress is null ? null : new InlineProgress<int>(n => progress.Report(new ReportProgress("写入清单", n, overdue)));
        var result = await SupervisionReportWriter.WriteAsync(content, output, rows, ct);
        progress?.Report(new ReportProgress("完成", result.OverdueRows + result.RepeatRows, overdue));
        return result;
    }
}
