using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Demo;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// <c>generate-demo</c>: writes the demo city into an empty database, explicitly (the command line never loads demo data
/// on its own). A database that holds data is refused.
/// </summary>
public sealed class GenerateDemoCommand(
    DemoData demo, DatabaseInitializer initializer, IOptions<DemoOptions> demoOptions, IOptions<DatabaseOptions> database)
    : ICommandLineCommand
{
    public static string Name => "generate-demo";

    public static string Summary => "向空数据库写入临川市演示数据（同一随机种子、同一日期生成相同数据）";

    public static IReadOnlyList<CommandOption> Options { get; } =
    [
        new("petitions", "件数", $"信访件数量，1 至 {DemoOptions.MaxPetitions}，默认取 Demo:Petitions"),
        new("seed", "整数", "随机种子，默认取 Demo:Seed"),
    ];

    public async Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct)
    {
        var petitions = arguments.Integer("petitions", demoOptions.Value.Petitions, 1, DemoOptions.MaxPetitions);
        var seed = arguments.Integer("seed", demoOptions.Value.Seed, int.MinValue, int.MaxValue);
        var target = Describe(database.Value);

        await initializer.InitializeAsync(loadDemo: false, ct);
        var existing = await demo.ExistingDataAsync(ct);
        if (existing.Count > 0)
        {
            output.Error.WriteLine($"generate-demo：{target} 中已有数据（{string.Join("、", existing)}）。");
            output.Error.WriteLine("演示数据只写入空数据库，不会覆盖已有数据。请用 --Database:ConnectionString \"Data Source=新文件.db\" 指定一个新的数据库。");
            return ExitCodes.Failed;
        }

        output.Out.WriteLine($"生成演示数据：{petitions} 件信访件，随机种子 {seed}，写入 {target}");
        var step = Math.Max(1, petitions / 20);
        var next = step;
        var result = await demo.GenerateAsync(petitions, seed, p =>
        {
            if (p.Petitions < next && p.Petitions < p.Total) return;
            while (next <= p.Petitions) next += step;
            output.Out.WriteLine($"  已写入 {p.Petitions} / {p.Total} 件（{p.Share:P0}），用时 {p.Elapsed.TotalSeconds:F1} 秒");
        }, ct);
        output.Out.WriteLine(
            $"完成：单位 {result.Units} 个、领导 {result.Leaders} 人、分类 {result.Categories} 个、信访人 {result.Petitioners} 人、" +
            $"信访事项链 {result.Threads} 条、信访件 {result.Petitions} 件、事件 {result.Events} 条、领导包案 {result.Assignments} 件；" +
            $"用时 {result.Elapsed.TotalSeconds:F1} 秒");
        return ExitCodes.Success;
    }

    /// <summary>Names the target database without printing secrets: the file for SQLite, only the provider otherwise.</summary>
    private static string Describe(DatabaseOptions db)
    {
        if (db.Provider != DatabaseProvider.Sqlite) return $"{db.Provider} 数据库";
        var file = new SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
        return $"数据库文件 {Path.GetFullPath(file)}";
    }
}
