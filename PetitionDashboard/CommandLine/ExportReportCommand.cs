using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Reports;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// <c>export-report --week 2026-W47 --out report.xlsx</c>: the download endpoint's code path, run as the local operator
/// (系统), recorded in the audit trail like every export. The file appears only when it is complete.
/// </summary>
public sealed class ExportReportCommand(IServiceProvider services, DatabaseInitializer initializer) : ICommandLineCommand
{
    public static string Name => "export-report";

    public static string Summary => "导出某周的督办通报（.xlsx）；该周须已有周统计";

    public static IReadOnlyList<CommandOption> Options { get; } =
    [
        new("week", "2026-W47", "统计周，默认上一个完整周"),
        new("out", "文件.xlsx", "输出文件，默认当前目录下的 督办通报-<周>.xlsx"),
    ];

    public async Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct)
    {
        await initializer.InitializeAsync(loadDemo: false, ct);
        var exporter = services.GetRequiredService<SupervisionReportExporter>();
        var week = exporter.DefaultWeek();
        if (arguments.Text("week") is { } text && !IsoWeek.TryParse(text, out week))
            throw new CommandUsageException($"统计周“{text}”格式不正确，应为 2026-W47 这样的 ISO 周");
        var target = Path.GetFullPath(arguments.Text("out") ?? SupervisionReportExporter.FileName(week));
        var temp = target + $".{Guid.NewGuid():N}.part";
        try
        {
            ReportWriteResult result;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
                result = await exporter.ExportAsync(week, file, null, ct);
            File.Move(temp, target, overwrite: true);
            output.Out.WriteLine($"已导出 {week} 督办通报：{target}（超期清单 {result.OverdueRows} 行，重复信访 {result.RepeatRows} 行）");
            return ExitCodes.Success;
        }
        catch (ActionRefusedException e)
        {
            output.Error.WriteLine($"export-report：{e.Message}");
            return ExitCodes.Failed;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
