using System.Diagnostics;
using ClosedXML.Excel;
using Microsoft.Data.Sqlite;
using PetitionDashboard.CommandLine;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Import;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// import, recompute-statistics and export-report as an operator runs them: the app's executable, absolute paths,
/// a database chosen by --Database:ConnectionString; exit codes and the two output streams are the contract.
/// </summary>
public sealed class ExcelCommandTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"pd-cli-excel-{Guid.NewGuid():N}")).FullName;

    private string Db => $"Data Source={Path.Combine(_folder, "app.db")}";

    private sealed record Run(int ExitCode, string Out, string Error);

    /// <summary>The day every run believes it is (Monday 2026-11-23, 09:00 Shanghai), so ledger dates and weeks never drift.</summary>
    private static readonly DateOnly Today = new(2026, 11, 23);
    private const string Now = "2026-11-23T09:00:00+08:00";

    private static async Task<Run> RunAppAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8, StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PetitionDashboard.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // "Test" behaves as Production (appsettings.json only, no developer pages) but allows the pinned clock.
        start.Environment["DOTNET_ENVIRONMENT"] = "Test";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Test";
        start.Environment["Clock__Now"] = Now;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return new Run(process.ExitCode, await stdout, await stderr);
    }

    private async Task<long> CountPetitionsAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(Db) { Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM \"Petitions\"";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static LedgerFile Ledger(string? badDate = null)
    {
        var old = Today.AddDays(-60).ToString("yyyy-MM-dd");
        return new LedgerFile()
            .Unit("城关区", "县区")
            .Row("CLI-001", (LedgerColumns.ReceivedOn, old))
            .Row("CLI-002", (LedgerColumns.ReceivedOn, badDate ?? old), (LedgerColumns.OriginalCaseNumber, "CLI-001"));
    }

    [Fact]
    public void HostArguments_KeepSettings_AndDropTheCommandsOwnWords()
    {
        Assert.Equal(["--Database:ConnectionString", "Data Source=/tmp/x.db", "--week", "2026-W47"],
            CommandLineCommands.HostArguments(["import", "/data/台账.xlsx", "--Database:ConnectionString", "Data Source=/tmp/x.db", "--week", "2026-W47"]));
        string[] web = ["--urls", "http://127.0.0.1:5000"];
        Assert.Same(web, CommandLineCommands.HostArguments(web));
    }

    [Fact]
    public async Task Import_AnAbsolutePath_IntoTheGivenDatabase_ThenRecompute_ThenExport()
    {
        var ledger = Ledger().Save(Path.Combine(_folder, "台账.xlsx"));

        var import = await RunAppAsync("import", ledger, "--Database:ConnectionString", Db);
        Assert.True(import.ExitCode == ExitCodes.Success, import.Error);
        Assert.Contains("新增 2 件（其中重复件 1 件）", import.Out);
        Assert.Equal(2, await CountPetitionsAsync());

        var again = await RunAppAsync("import", ledger, "--Database:ConnectionString", Db);
        Assert.True(again.ExitCode == ExitCodes.Success, again.Error);
        Assert.Contains("未变 2 件", again.Out);

        var week = IsoWeek.Of(Today).Previous;
        Assert.Equal("2026-W47", week.ToString());
        var recompute = await RunAppAsync("recompute-statistics", "--week", week.ToString(), "--Database:ConnectionString", Db);
        Assert.True(recompute.ExitCode == ExitCodes.Success, recompute.Error);

        var report = Path.Combine(_folder, "out", "report.xlsx");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        var export = await RunAppAsync("export-report", "--week", week.ToString(), "--out", report, "--Database:ConnectionString", Db);
        Assert.True(export.ExitCode == ExitCodes.Success, export.Error);
        Assert.Contains("超期清单 2 行", export.Out);
        using var wb = new XLWorkbook(report);
        Assert.Equal(2, wb.Worksheet("超期清单").RowsUsed().Count(r => r.RowNumber() > 3));
        Assert.Contains("按考核方案“默认（第 1 版，满分 100）”", wb.Worksheet("单位排名").Cell(2, 1).GetString());

        // Scoring:Scheme on the command line ranks by that scheme, as it would in the web app; an unknown name is refused.
        var dachuan = await RunAppAsync("export-report", "--week", week.ToString(), "--out", report, "--Database:ConnectionString", Db,
            "--Scoring:Scheme", "达川式");
        Assert.True(dachuan.ExitCode == ExitCodes.Success, dachuan.Error);
        using (var ranked = new XLWorkbook(report))
            Assert.Contains("按考核方案“达川式（第 1 版，满分 30）”", ranked.Worksheet("单位排名").Cell(2, 1).GetString());
        var unknown = await RunAppAsync("export-report", "--week", week.ToString(), "--out", report, "--Database:ConnectionString", Db,
            "--Scoring:Scheme", "无此方案");
        Assert.NotEqual(ExitCodes.Success, unknown.ExitCode);
        Assert.Contains("配置项 Scoring:Scheme 指定的考核方案“无此方案”不存在", unknown.Error);

        // The week's 督办单: one workbook per unit listing those two rows; a second run records no second 催办.
        var notices = Path.Combine(_folder, "out", "督办单.zip");
        var issue = await RunAppAsync("export-notices", "--week", week.ToString(), "--out", notices, "--Database:ConnectionString", Db);
        Assert.True(issue.ExitCode == ExitCodes.Success, issue.Error);
        Assert.Contains("新增催办 2 件", issue.Out);
        await using (var zip = File.OpenRead(notices))
            Assert.Equal(2, Reports.SupervisionNoticeTests.Workbooks(zip).Values
                .Sum(b => Reports.SupervisionNoticeTests.Section(b, PetitionDashboard.Features.Reports.SupervisionNoticeWriter.OverdueSection).Count));
        var reissue = await RunAppAsync("export-notices", "--week", week.ToString(), "--out", notices, "--Database:ConnectionString", Db);
        Assert.True(reissue.ExitCode == ExitCodes.Success, reissue.Error);
        Assert.Contains("新增催办 0 件，本周已催办过的 2 件不再重复计数", reissue.Out);

        // --unit: only the named units' 督办单; an unknown name is refused before anything is written.
        var chosen = Path.Combine(_folder, "out", "城关区.zip");
        var one = await RunAppAsync("export-notices", "--week", week.ToString(), "--unit", "城关区", "--out", chosen, "--Database:ConnectionString", Db);
        Assert.True(one.ExitCode == ExitCodes.Success, one.Error);
        Assert.Contains("1 个单位，新增催办 0 件", one.Out);
        await using (var zip = File.OpenRead(chosen))
            Assert.Equal(["督办单-2026-W47-城关区.xlsx"], Reports.SupervisionNoticeTests.Workbooks(zip).Keys);
        var nowhere = Path.Combine(_folder, "out", "无.zip");
        var wrong = await RunAppAsync("export-notices", "--week", week.ToString(), "--unit", "城关区,南山区", "--out", nowhere, "--Database:ConnectionString", Db);
        Assert.Equal(ExitCodes.Failed, wrong.ExitCode);
        Assert.Contains("没有名为“南山区”的单位", wrong.Error);
        Assert.False(File.Exists(nowhere));
    }

    [Fact]
    public async Task Import_ABadLedger_ExitsNonZero_WithEveryReasonOnStderr_AndWritesNothing()
    {
        var ledger = Ledger("2026-13-01").Save(Path.Combine(_folder, "bad.xlsx"));
        var errors = Path.Combine(_folder, "errors.xlsx");

        var run = await RunAppAsync("import", ledger, "--errors-out", errors, "--Database:ConnectionString", Db);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("第 3 行 登记日期：无法识别的日期“2026-13-01”", run.Error);
        Assert.Equal(0, await CountPetitionsAsync());
        using var wb = new XLWorkbook(errors);
        Assert.Equal("登记日期", wb.Worksheet(1).Cell(4, 2).GetString());
    }

    [Fact]
    public async Task Import_NotAnXlsx_AndExport_WithoutStatistics_AreRefusedWithReasons()
    {
        var csv = Path.Combine(_folder, "台账.csv");
        await File.WriteAllTextAsync(csv, "信访编号,登记日期", Ct);
        var import = await RunAppAsync("import", csv, "--Database:ConnectionString", Db);
        Assert.Equal(ExitCodes.Failed, import.ExitCode);
        Assert.Contains("只能导入 Excel 工作簿（.xlsx）", import.Error);

        var export = await RunAppAsync("export-report", "--week", "2026-W40", "--out", Path.Combine(_folder, "r.xlsx"), "--Database:ConnectionString", Db);
        Assert.Equal(ExitCodes.Failed, export.ExitCode);
        Assert.Contains("2026-W40 尚未统计", export.Error);
        Assert.False(File.Exists(Path.Combine(_folder, "r.xlsx")));

        var usage = await RunAppAsync("import", "--Database:ConnectionString", Db);
        Assert.Equal(ExitCodes.Usage, usage.ExitCode);
        Assert.Contains("缺少要导入的台账文件", usage.Error);
    }

    [Fact]
    public async Task PinnedClock_OutsideDevelopmentAndTest_IsRefusedAtStartUp()
    {
        // The same setting the runs above use, in Production: a real server never runs on a pinned clock.
        var run = await PetitionDashboard.Tests.Support.AppProcess.RunAsync(
            ["recompute-statistics", "--week", "2026-W47", "--Database:ConnectionString", Db], new Dictionary<string, string> { ["Clock__Now"] = Now });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Clock:Now 只能在开发或测试环境中设置", run.Out + run.Error);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
