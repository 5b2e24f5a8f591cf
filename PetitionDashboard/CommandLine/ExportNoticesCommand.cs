using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Reports;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// <c>export-notices --week 2026-W47 [--unit 某某,…] --out 督办单.zip</c>: the reports page's 督办单 generation, run as the local operator
/// (系统): one workbook per unit, the week's 催办 recorded once, the generation kept in the history; the .zip appears only
/// when complete.
/// </summary>
public sealed class ExportNoticesCommand(IServiceProvider services, DatabaseInitializer initializer) : ICommandLineCommand
{
    public static string Name => "export-notices";

    public static string Summary => "生成某周各单位的督办单（每单位一个 .xlsx，合为一个 .zip），并为所列在办信访件各记催办一次";

    public static IReadOnlyList<CommandOption> Options { get; } =
    [
        new("week", "2026-W47", "统计周，默认上一个完整周"),
        new("unit", "单位名称", "只为这些单位生成（多个用逗号或顿号分隔），默认为有超期件、挂牌督办件或超期包案的全部单位"),
        new("out", "文件.zip", "输出文件，默认当前目录下的 督办单-<周>.zip"),
    ];

    public async Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct)
    {
        await initializer.InitializeAsync(loadDemo: false, ct);
        var notices = services.GetRequiredService<SupervisionNoticeService>();
        var week = IsoWeek.Of(services.GetRequiredService<TimeProvider>().Today()).Previous;
        if (arguments.Text("week") is { } text && !IsoWeek.TryParse(text, out week))
            throw new CommandUsageException($"统计周“{text}”格式不正确，应为 2026-W47 这样的 ISO 周");
        var target = Path.GetFullPath(arguments.Text("out") ?? SupervisionNoticeService.ZipName(week));
        var temp = target + $".{Guid.NewGuid():N}.part";
        try
        {
            var names = arguments.Text("unit")?.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            var units = names.Length == 0 ? null : await notices.UnitIdsAsync(names, ct);
            var done = await notices.GenerateAsync(week, units, ct);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
                await notices.WriteZipAsync(done.DocumentId, file, ct);
            File.Move(temp, target, overwrite: true);
            output.Out.WriteLine($"已生成 {week} 督办单：{target}（{done.Units} 个单位，新增催办 {done.RemindersAdded} 件" +
                (done.AlreadyReminded > 0 ? $"，本周已催办过的 {done.AlreadyReminded} 件不再重复计数" : "") + "）");
            return ExitCodes.Success;
        }
        catch (ActionRefusedException e)
        {
            output.Error.WriteLine($"export-notices：{e.Message}");
            return ExitCodes.Failed;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
