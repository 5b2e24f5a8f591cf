using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Reports;
using PetitionDashboard.Infrastructure.Progress;
using PetitionDashboard.Features.Statistics;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// <c>recompute-statistics</c>: the weekly statistics job's work (the last Statistics:RecomputeWeeks unpublished weeks and
/// any missing history), or one week with <c>--week</c>. Published weeks are never touched.
/// </summary>
public sealed class RecomputeStatisticsCommand(StatisticsRecomputer recomputer, DatabaseInitializer initializer, TimeProvider clock)
    : ICommandLineCommand
{
    public static string Name => "recompute-statistics";

    public static string Summary => "重新计算周统计（同定时任务）；已发布的周不变";

    public static IReadOnlyList<CommandOption> Options { get; } =
    [
        new("week", "2026-W47", "只重新计算这一周"),
    ];

    public async Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct)
    {
        await initializer.InitializeAsync(loadDemo: false, ct);
        if (arguments.Text("week") is { } text)
        {
            if (!IsoWeek.TryParse(text, out var week))
                throw new CommandUsageException($"统计周“{text}”格式不正确，应为 2026-W47 这样的 ISO 周");
            var started = clock.GetTimestamp();
            if (!await recomputer.RecomputeWeekAsync(week, clock.GetUtcNow().UtcDateTime, ct))
            {
                output.Error.WriteLine($"recompute-statistics：{week} 已发布，发布后的统计不再重新计算");
                return ExitCodes.Failed;
            }
            output.Out.WriteLine($"已重新计算 {week}，用时 {clock.GetElapsedTime(started).TotalSeconds:F1} 秒");
            return ExitCodes.Success;
        }

        var progress = new InlineProgress<RecomputeProgress>(p =>
        {
            if (p.Current is { } w) output.Out.WriteLine($"  第 {p.Done + 1}/{p.Total} 周：{w}");
        });
        var result = await recomputer.RecomputeAsync(progress, ct);
        output.Out.WriteLine(result.Recomputed.Count == 0
            ? "没有需要重新计算的周（数据库中没有信访件，或最近的周都已发布）"
            : $"已重新计算 {result.Recomputed.Count} 周（{result.Recomputed.First()} 至 {result.Recomputed.Last()}），用时 {result.Elapsed.TotalSeconds:F1} 秒");
        if (result.SkippedPublished.Count > 0) output.Out.WriteLine($"已发布、未改动：{string.Join("、", result.SkippedPublished)}");
        return ExitCodes.Success;
    }
}
