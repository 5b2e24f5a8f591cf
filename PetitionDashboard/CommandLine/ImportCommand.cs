using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Features.Reports;
using PetitionDashboard.Infrastructure.Progress;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// <c>import 台账.xlsx</c>: the import page's code path (size and type checks, every rule, one transaction), run as the
/// local operator (系统). Exit 0 when the file was imported; 1 with every bad row on stderr when it was refused.
/// </summary>
public sealed class ImportCommand(IServiceProvider services, DatabaseInitializer initializer, TimeProvider clock) : ICommandLineCommand
{
    public static string Name => "import";

    public static string Summary => "导入台账（.xlsx，格式见 README）；整个文件全部导入或全部不导入，错误逐行列在标准错误输出";

    public static string? Argument => "台账.xlsx";

    public static IReadOnlyList<CommandOption> Options { get; } =
    [
        new("errors-out", "文件.xlsx", "导入被拒绝时，另把错误清单写成 Excel 文件"),
        new("profile", "方案名称", "按导入页面保存的列对应方案读取表头（不指定时，表头集合与某方案相同则自动使用该方案）"),
        new("sheet", "工作表名称", "读取这张工作表（不指定时读取第一张）"),
    ];

    public async Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct)
    {
        var path = arguments.Argument ?? throw new CommandUsageException("缺少要导入的台账文件，例如：import 台账.xlsx");
        if (!File.Exists(path))
        {
            output.Error.WriteLine($"import：找不到文件“{Path.GetFullPath(path)}”");
            return ExitCodes.Failed;
        }
        await initializer.InitializeAsync(loadDemo: false, ct);
        var importer = services.GetRequiredService<LedgerImportService>();
        var fileName = Path.GetFileName(path);
        string received;
        try
        {
            await using var upload = File.OpenRead(path);
            received = await importer.ReceiveAsync(upload, fileName, upload.Length, ct);
        }
        catch (ActionRefusedException e)
        {
            output.Error.WriteLine($"import：{e.Message}");
            return ExitCodes.Failed;
        }

        try
        {
            output.Out.WriteLine($"导入台账 {Path.GetFullPath(path)}");
            var profiles = services.GetRequiredService<LedgerProfileService>();
            var reading = new LedgerReading(arguments.Text("sheet"));
            if (arguments.Text("profile") is { } profileName)
            {
                try
                {
                    reading = (await profiles.GetAsync(profileName, ct)).Reading(reading.Sheet);
                }
                catch (ActionRefusedException e)
                {
                    output.Error.WriteLine($"import：{e.Message}");
                    return ExitCodes.Failed;
                }
            }
            else
            {
                // The profile saved for this header set, as the page uses it; a file the preview refuses is refused by the
                // import below, with its reason in the error list (and --errors-out).
                try
                {
                    if (await profiles.FindByHeadersAsync((await profiles.PreviewAsync(received, reading, ct)).HeaderSet, ct) is { } same)
                        reading = same.Reading(reading.Sheet);
                }
                catch (ActionRefusedException e) when (e.Kind != RefusalKind.NotAllowed) { }
            }
            if (reading.ProfileName is { } used) output.Out.WriteLine($"  按列对应方案“{used}”读取表头");
            var last = "";
            var progress = new InlineProgress<ImportProgress>(p =>
            {
                var line = p.Total > 0 ? $"  {p.Stage}：{p.Done} / {p.Total}" : $"  {p.Stage}：{p.Done} 行";
                var step = p.Total > 0 ? p.Done * 10 / Math.Max(p.Total, 1) : p.Done / 10000;
                var key = $"{p.Stage}{step}";
                if (key == last) return;
                last = key;
                output.Out.WriteLine(line);
            });
            var result = await importer.ImportAsync(received, fileName, progress, ct, reading);
            if (result.Succeeded)
            {
                output.Out.WriteLine($"{result.Summary}；用时 {result.Elapsed.TotalSeconds:F1} 秒");
                // What the upload page leaves to the background (the WAL checkpoint) is done before this process ends.
                await services.GetRequiredService<ImportCheckpoints>().WhenDoneAsync();
                return ExitCodes.Success;
            }
            output.Error.WriteLine($"import：{result.Summary}");
            foreach (var e in result.Errors) output.Error.WriteLine("  " + e.Message);
            if (arguments.Text("errors-out") is { } errorsOut)
            {
                await using var file = File.Create(errorsOut);
                await ImportErrorWorkbook.WriteAsync(result, clock.GetUtcNow().UtcDateTime, file, ct);
                output.Error.WriteLine($"错误清单已写入 {Path.GetFullPath(errorsOut)}");
            }
            return ExitCodes.Failed;
        }
        finally
        {
            File.Delete(received);
        }
    }
}
